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

#endif
