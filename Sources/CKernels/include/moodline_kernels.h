// Hot inner loops of the inference core, in C so that they can be compiled for several instruction sets and the
// widest one this CPU has chosen at load time (target_clones). Swift's own SIMD types compile for the baseline
// x86-64 (SSE2) only.
#ifndef MOODLINE_KERNELS_H
#define MOODLINE_KERNELS_H

/// Depthwise 2-D convolution (one filter per channel) of an NHWC tensor, `out = bias + sum(taps * input)`.
///
/// `kernel` is `[kh, kw, c]`; `output` is `[n, out_h, out_w, c]` and is written in full. Padding is given by where
/// the first output's window starts (`pad_top`, `pad_left`); taps outside the input add nothing. Each value is
/// computed with the same operations in the same order on every instruction set (no fused multiply-add), so the
/// results are bit for bit the same on every x86-64 CPU.
void moodline_depthwise_conv_nhwc(const float *input, int n, int h, int w, int c,
                                  const float *kernel, int kh, int kw, const float *bias,
                                  int stride, int pad_top, int pad_left,
                                  float *output, int out_h, int out_w);

/// 3x3 convolution, stride 1, of one NHWC picture whose border of one zero pixel is already added: `padded` is
/// `[h + 2, w + 2, cin]` followed by at least `8 * cin` more floats (read, never used), `output` is `[h, w, cout]`
/// and is written in full. `weights` is `[3, 3, cin, cout]`
/// (HWIO), `cout` a multiple of 8; `relu` non-zero clamps negatives to zero. Like the depthwise kernel, the same
/// operations in the same order on every instruction set (no fused multiply-add), so the results are bit for bit
/// the same on every x86-64 CPU and in sanitised builds.
void moodline_conv3x3_nhwc(const float *padded, int h, int w, int cin, const float *weights, int cout,
                           const float *bias, int relu, float *output);

#endif
