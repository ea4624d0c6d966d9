// OpenBLAS's C interface (Debian libopenblas-dev; pkg-config openblas puts its cblas.h on the include path).
#ifndef MOODLINE_CBLAS_SHIM_H
#define MOODLINE_CBLAS_SHIM_H
#include <cblas.h>
#endif
