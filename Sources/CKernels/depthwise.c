#include "moodline_kernels.h"
#include "clones.h"

#include <stddef.h>
#include <string.h>

/// `out[i] += source[i] * tap[i]`, vectorised by the compiler over the channels.
static inline void multiply_add(float *restrict out, const float *restrict source, const float *restrict tap, int count) {
    for (int i = 0; i < count; i++) out[i] += source[i] * tap[i];
}

MOODLINE_CLONES
void moodline_depthwise_conv_nhwc(const float *input, int n, int h, int w, int c,
                                  const float *kernel, int kh, int kw, const float *bias,
                                  int stride, int pad_top, int pad_left,
                                  float *output, int out_h, int out_w) {
    for (int b = 0; b < n; b++) {
        for (int oy = 0; oy < out_h; oy++) {
            float *out_row = output + ((size_t)b * out_h + oy) * out_w * c;
            for (int ox = 0; ox < out_w; ox++) memcpy(out_row + (size_t)ox * c, bias, sizeof(float) * c);
            for (int ky = 0; ky < kh; ky++) {
                int y = oy * stride + ky - pad_top;
                if (y < 0 || y >= h) continue;
                const float *in_row = input + ((size_t)b * h + y) * w * c;
                for (int kx = 0; kx < kw; kx++) {
                    const float *tap = kernel + ((size_t)ky * kw + kx) * c;
                    // Output columns whose input column ox * stride + kx - pad_left is inside the row.
                    int first = pad_left - kx > 0 ? (pad_left - kx + stride - 1) / stride : 0;
                    int span = w - 1 - kx + pad_left;
                    int last = span < 0 ? 0 : span / stride + 1;
                    if (last > out_w) last = out_w;
                    for (int ox = first; ox < last; ox++) {
                        multiply_add(out_row + (size_t)ox * c, in_row + ((size_t)ox * stride + kx - pad_left) * c, tap, c);
                    }
                }
            }
        }
    }
}
