#!/usr/bin/env python3
"""Reference outputs of a trained classifier, computed by PyTorch, for Moodline's golden test
(Tests/MoodlineCoreTests/Classify/MoodlineClassifierGoldenTests.swift).

    python3 Weights/training/make_reference.py Weights/emotion_moodline.safetensors crops/fer2013-48.npz \
        Tests/MoodlineCoreTests/Fixtures/moodline_classifier
    python3 Weights/training/make_reference.py Weights/emotion_moodline_ferplus.safetensors crops/fer2013-48.npz \
        Tests/MoodlineCoreTests/Fixtures/moodline_ferplus_classifier

Writes NAME.u8 (32 crops of PublicTest, S x S bytes each, 4 per class and 4 more, chosen by a fixed seed) and
NAME.json (their logits, the temperature-scaled probabilities, and the flip-averaged ones), in float64.
"""
import json
import sys

import numpy as np
import torch

import pack_crops
import train


def main():
    weights, data, output = sys.argv[1:4]
    model, metadata = train.load_exported(weights)
    model = model.double()
    arrays = pack_crops.load(data)
    x, y = arrays["x_validation"], arrays["y_validation"]
    rng = np.random.default_rng(7)
    chosen = np.concatenate([rng.choice(np.flatnonzero(y == c), 4, replace=False) for c in range(7)] + [rng.choice(len(y), 4, replace=False)])
    crops = x[chosen]
    with torch.no_grad():
        inputs = train.normalise(torch.from_numpy(crops).double().unsqueeze(1) / 255, metadata["normalise"])
        logits = model(inputs)
        flipped = (logits + model(torch.flip(inputs, dims=[3]))) / 2
    temperature = float(metadata["temperature"])
    crops.astype(np.uint8).tofile(output + ".u8")
    with open(output + ".json", "w") as f:
        json.dump({"size": int(crops.shape[-1]), "count": len(crops), "temperature": temperature,
                   "labels": [int(v) for v in y[chosen]], "logits": logits.tolist(),
                   "probabilities": (logits / temperature).softmax(1).tolist(),
                   "flip_averaged_probabilities": (flipped / temperature).softmax(1).tolist()}, f)


if __name__ == "__main__":
    main()
