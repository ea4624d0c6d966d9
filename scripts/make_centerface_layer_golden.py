#!/usr/bin/env python3
"""Makes Tests/MoodlineNNTests/Fixtures/centerface_layers.json: the layers CenterFace (and any PyTorch-exported
network) needs from MoodlineNN, computed by PyTorch itself in float64 on small seeded random inputs (seed SEED):

- ConvTranspose2d with kernel = stride = 2 and no padding (CenterFace's upsampling), with and without a ReLU;
- Conv2d and depthwise Conv2d with PyTorch's symmetric padding (padding=1) at stride 2 on even sizes, where
  TensorFlow's "same" would put the border elsewhere, and at stride 1 on a picture large enough for the direct
  3x3 kernel;
- sigmoid, with values far into both tails.

Inputs and outputs are stored NHWC (MoodlineNN's layout); weights as PyTorch holds them (OIHW, and [in, out, kh, kw]
for the transposed kernel). Run by hand: `python3 scripts/make_centerface_layer_golden.py` (torch==2.13.0+cpu, the
pin in Weights/training/requirements.txt). The Swift side is Tests/MoodlineNNTests/CenterFaceLayerGoldenTests.swift.
"""
import json
import os

import torch
import torch.nn.functional as F

SEED = 20261207
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "MoodlineNNTests", "Fixtures", "centerface_layers.json")


def array(t):
    return {"shape": list(t.shape), "data": [round(float(v), 7) for v in t.flatten().tolist()]}


def nhwc(t):
    return t.permute(0, 2, 3, 1).contiguous()


def main():
    g = torch.Generator().manual_seed(SEED)
    rand = lambda *shape: torch.randn(*shape, generator=g, dtype=torch.float64)
    cases = []

    def case(name, inputs, output):
        cases.append({"name": name, "inputs": {k: array(v) for k, v in inputs.items()}, "output": array(output)})

    x, w, b = rand(1, 6, 3, 4), rand(6, 5, 2, 2), rand(5)
    y = F.conv_transpose2d(x, w, b, stride=2)
    case("transposed_k2_s2", {"x": nhwc(x), "w": w, "b": b}, nhwc(y))
    case("transposed_k2_s2_relu", {"x": nhwc(x), "w": w, "b": b}, nhwc(F.relu(y)))
    x2, w2 = rand(2, 3, 2, 3), rand(3, 4, 2, 2)
    case("transposed_k2_s2_batch2_nobias", {"x": nhwc(x2), "w": w2}, nhwc(F.conv_transpose2d(x2, w2, None, stride=2)))

    x, w, b = rand(1, 3, 6, 8), rand(5, 3, 3, 3), rand(5)
    case("conv3x3_s2_symmetric_even", {"x": nhwc(x), "w": w, "b": b}, nhwc(F.conv2d(x, w, b, stride=2, padding=1)))
    x, w, b = rand(1, 4, 6, 8), rand(4, 1, 3, 3), rand(4)
    case("depthwise3x3_s2_symmetric_even", {"x": nhwc(x), "w": w, "b": b},
         nhwc(F.conv2d(x, w, b, stride=2, padding=1, groups=4)))
    x, w, b = rand(1, 3, 24, 24), rand(8, 3, 3, 3), rand(8)
    case("conv3x3_s1_symmetric_direct", {"x": nhwc(x), "w": w, "b": b}, nhwc(F.conv2d(x, w, b, stride=1, padding=1)))
    x = rand(1, 2, 3, 4) * 40
    x[0, 0, 0, 0], x[0, 0, 0, 1] = 200.0, -200.0
    case("sigmoid", {"x": nhwc(x)}, nhwc(torch.sigmoid(x)))

    with open(OUT, "w") as f:
        json.dump({"seed": SEED, "framework": f"torch {torch.__version__}, float64", "cases": cases}, f)
    print(f"wrote {OUT}: {len(cases)} cases")


if __name__ == "__main__":
    main()
