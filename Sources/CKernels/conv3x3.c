#include "moodline_kernels.h"
#include "clones.h"

#include <stddef.h>

enum { PIXELS = 8 };

/// PIXELS neighbouring output pixels of one row, channels `co .. co + CHUNK`, of which the first `count` are
/// stored (the rest read past the row into the slack the caller leaves, and are thrown away). The accumulators stay
/// in registers across the 9 taps and every input channel; the compiler vectorises over the chunk of 16 or 8
/// channels, inlined into each clone.
#define PIXEL_BLOCK(NAME, CHUNK)                                                                                       \
    static inline __attribute__((always_inline)) void NAME(const float *restrict padded, int padded_w, int cin,      \
                                                           const float *restrict weights, int cout, int co,          \
                                                           const float *restrict bias, int relu,                     \
                                                           float *restrict out, int count) {                         \
        float acc[PIXELS][CHUNK];                                                                                    \
        for (int p = 0; p < PIXELS; p++)                                                                             \
            for (int k = 0; k < CHUNK; k++) acc[p][k] = bias[co + k];                                                \
        for (int ky = 0; ky < 3; ky++) {                                                                             \
            for (int kx = 0; kx < 3; kx++) {                                                                         \
                const float *in = padded + ((size_t)ky * padded_w + kx) * cin;                                       \
                const float *tap = weights + (size_t)(ky * 3 + kx) * cin * cout + co;                                \
                for (int ci = 0; ci < cin; ci++) {                                                                   \
                    const float *w = tap + (size_t)ci * cout;                                                        \
                    for (int p = 0; p < PIXELS; p++) {                                                               \
                        float x = in[(size_t)p * cin + ci];                                                          \
                        for (int k = 0; k < CHUNK; k++) acc[p][k] += x * w[k];                                       \
                    }                                                                                                \
                }                                                                                                    \
            }                                                                                                        \
        }                                                                                                            \
        for (int p = 0; p < count; p++)                                                                              \
            for (int k = 0; k < CHUNK; k++) out[(size_t)p * cout + co + k] = relu && acc[p][k] < 0 ? 0.0f : acc[p][k]; \
    }

PIXEL_BLOCK(pixel_block_8, 8)
PIXEL_BLOCK(pixel_block_16, 16)

MOODLINE_CLONES
void moodline_conv3x3_nhwc(const float *padded, int h, int w, int cin, const float *weights, int cout,
                           const float *bias, int relu, float *output) {
    int padded_w = w + 2;
    // Channel chunks outermost: a chunk's weights (9 * cin * 16 floats) stay in the cache for the whole picture.
    for (int co = 0; co < cout;) {
        int chunk = cout - co >= 16 ? 16 : 8;
        for (int oy = 0; oy < h; oy++) {
            for (int ox = 0; ox < w; ox += PIXELS) {
                int count = w - ox < PIXELS ? w - ox : PIXELS;
                const float *in = padded + ((size_t)oy * padded_w + ox) * cin;
                float *out = output + ((size_t)oy * w + ox) * cout;
                if (chunk == 16) pixel_block_16(in, padded_w, cin, weights, cout, co, bias, relu, out, count);
                else pixel_block_8(in, padded_w, cin, weights, cout, co, bias, relu, out, count);
            }
        }
        co += chunk;
    }
}
