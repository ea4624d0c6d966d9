#!/usr/bin/env python3
"""Trains Moodline's emotion classifier on the crops that Moodline's own detector and aligner cut.

Offline only: the trained network is exported to safetensors and run by Moodline's Swift inference core.

    python3 Weights/training/train.py --data crops/fer2013-48.npz --run Weights/training/runs/vgg32 --epochs 160
    python3 Weights/training/train.py --data ... --run ... --resume        # continue from the last epoch

The recipe (every choice a flag, recorded in the run's metrics.json):
  * data: `x_train`/`y_train` from pack_crops.py (aligned crops), with a share (`--whole`) of samples taken from
    `whole_train` (the whole pictures, as the data set cut them) so both kinds of input read well; a seeded, stratified tenth of it is held back (`--holdout`)
    to choose nothing but the softmax temperature and to report calibration. `x_validation` (FER2013
    PublicTest) is only measured, never used to choose anything.
  * network: VGG-style blocks of 3x3 convolutions with batch norm and ReLU, 2x2 max pooling, global average
    pooling, dropout, one linear layer (see EmotionVGG); input per-crop standardised (`--normalise crop`) or
    scaled to [-1, 1].
  * augmentation, on the device, batch-wise and seeded: flips, random similarity transforms with black fill (as the
    aligner fills outside the picture), contrast, gamma, brightness, blur, noise, JPEG re-encoding, erasing.
  * targets (`--targets`): FER2013's one label per picture, or FER+'s ten human votes per picture (Barsoum et al.
    2016; `pack_crops.py --ferplus`): single votes dropped, renormalised over the seven classes, pictures whose
    FER+ majority is not-a-face, unknown, contempt or that have no votes left out, and the copies of PublicTest
    pictures in the training split left out; optionally mixed with FER2013's label (`--mix-fer2013`), which keeps
    its signal for strong expressions that FER+'s annotators often called neutral.
  * class-prior correction: sampling weights by class (`--balance sqrt`) and/or logit adjustment (`--logit-adjust`,
    Menon et al. 2021: tau * log prior added to the logits in the loss only).
  * optional distillation from the softened outputs of trained networks (`--teacher`, repeatable: their mean
    logits; Hinton et al. 2015), or of wider networks trained alongside on the same batches (`--co-train`,
    online distillation as in Anil et al. 2018), which are exported too.
  * SGD with Nesterov momentum, weight decay, linear warm-up then one cosine decay; label smoothing; an
    exponential moving average of the weights is what is exported.
  * seeded, with a deterministic data order; a checkpoint after every epoch, so a long schedule can run in parts.
"""
import argparse
import copy
import io
import json
import math
import os
import subprocess
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import pack_crops

LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
# FER+'s vote columns (pack_crops.VOTE_COLUMNS) for LABELS, in LABELS' order.
VOTES_FOR_LABELS = [pack_crops.VOTE_COLUMNS.index(name) for name in ["anger", "disgust", "fear", "happiness", "sadness", "surprise", "neutral"]]
# FER+ majorities whose pictures are not trained on (and not scored): not a face, unknown, contempt (too rare to learn
# here: about 120 training majorities), no votes at all.
DROPPED_MAJORITIES = ["NF", "unknown", "contempt", "no_votes"]


class EmotionVGG(nn.Module):
    """Blocks of 3x3 conv-BN-ReLU layers (`convs[b]` in block b), each block ending in 2x2 max pooling; then
    global average pooling, dropout and a linear layer to the seven classes."""

    def __init__(self, widths, convs, classes=7, dropout=0.3):
        super().__init__()
        self.widths, self.convs = list(widths), list(convs)
        blocks, cin = [], 1
        for width, count in zip(widths, convs):
            layers = []
            for _ in range(count):
                layers += [nn.Conv2d(cin, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(inplace=True)]
                cin = width
            layers.append(nn.MaxPool2d(2))
            blocks.append(nn.Sequential(*layers))
        self.blocks = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(dropout)
        self.classifier = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.blocks(x).mean((2, 3))
        return self.classifier(self.dropout(x))


def normalise(x, mode):
    """x: float in [0, 1], N x 1 x S x S. The same arithmetic runs in Swift (EmotionVGG.swift)."""
    if mode == "crop":
        mean = x.mean((1, 2, 3), keepdim=True)
        std = x.var((1, 2, 3), keepdim=True, unbiased=False).add(1e-4).sqrt()
        return (x - mean) / std
    return x * 2 - 1


def jpeg_copies(images, seed):
    """Each training picture re-encoded once as JPEG at a random quality (15-90), seeded: compression happens to
    the source picture, before alignment, so the copy is swapped in before the geometric augmentation."""
    from PIL import Image
    rng = np.random.default_rng(seed)
    qualities = rng.integers(15, 90, len(images))
    out = np.empty_like(images)
    for i, (picture, quality) in enumerate(zip(images, qualities)):
        encoded = io.BytesIO()
        Image.fromarray(picture).save(encoded, format="JPEG", quality=int(quality))
        out[i] = np.asarray(Image.open(io.BytesIO(encoded.getvalue())).convert("L"))
    return out


def augment(images, jpeg_images, generator, args):
    """images, jpeg_images: uint8 N x S x S on the device; `generator` lives there too. Returns float
    N x 1 x S x S in [0, 1]. Every random draw is one batched call, so nothing waits on the host."""
    n, size, device = images.shape[0], images.shape[-1], images.device

    def uniform(low, high, shape=(n,)):
        return torch.rand(shape, generator=generator, device=device) * (high - low) + low

    def chance(p):
        return torch.rand(n, generator=generator, device=device) < p

    x = torch.where(chance(args.jpeg).view(n, 1, 1), jpeg_images, images).float().unsqueeze(1) / 255
    # A similarity transform (and a flip) per crop, sampled with black outside the picture as the aligner fills.
    angle = uniform(-args.rotate, args.rotate) * math.pi / 180
    scale = uniform(1 - args.zoom, 1 + args.zoom)
    flip = chance(0.5).float() * -2 + 1
    tx, ty = uniform(-args.shift, args.shift) * 2, uniform(-args.shift, args.shift) * 2
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)

    # Photometric changes: other cameras, lighting and compression.
    mean = x.mean((1, 2, 3), keepdim=True)
    x = (x - mean) * uniform(0.5, 1.5).view(n, 1, 1, 1) + mean + uniform(-0.15, 0.15).view(n, 1, 1, 1)
    x = x.clamp(0, 1) ** torch.exp(uniform(-0.4, 0.4)).view(n, 1, 1, 1)
    sigma = float(uniform(0.4, 1.2, (1,)))
    taps = torch.arange(-2, 3, device=device, dtype=x.dtype)
    kernel = torch.exp(-taps ** 2 / (2 * sigma ** 2))
    kernel = (kernel / kernel.sum()).view(1, 1, 1, 5)
    blurred = F.conv2d(F.conv2d(F.pad(x, (2, 2, 2, 2), mode="replicate"), kernel), kernel.transpose(2, 3))
    x = torch.where(chance(0.25).view(n, 1, 1, 1), blurred, x)
    noise = torch.randn(x.shape, generator=generator, device=device) * uniform(0, 0.05).view(n, 1, 1, 1)
    x = (x + noise * chance(0.3).view(n, 1, 1, 1)).clamp(0, 1)
    # Random erasing: a noise rectangle (a sixth to a half of the side each way) over part of the face.
    h, w = uniform(size / 6, size / 2).floor(), uniform(size / 6, size / 2).floor()
    y0, x0 = uniform(0, 1) * (size - h), uniform(0, 1) * (size - w)
    rows = torch.arange(size, device=device).view(1, size, 1)
    columns = torch.arange(size, device=device).view(1, 1, size)
    inside = ((rows >= y0.view(n, 1, 1)) & (rows < (y0 + h).view(n, 1, 1))
              & (columns >= x0.view(n, 1, 1)) & (columns < (x0 + w).view(n, 1, 1)) & chance(args.erase).view(n, 1, 1))
    fill = torch.rand(x.shape, generator=generator, device=device)
    return torch.where(inside.unsqueeze(1), fill, x)


def load_exported(path):
    """A network `export` wrote, rebuilt as an EmotionVGG, with its metadata (for a distillation teacher)."""
    from safetensors import safe_open
    from safetensors.torch import load_file
    with safe_open(path, "pt") as f:
        metadata = f.metadata()
    model = EmotionVGG(json.loads(metadata["widths"]), json.loads(metadata["convs"]))
    tensors, state = load_file(path), {}
    for b, block in enumerate(model.blocks):
        convs = [i for i, m in enumerate(block) if isinstance(m, nn.Conv2d)]
        norms = [i for i, m in enumerate(block) if isinstance(m, nn.BatchNorm2d)]
        for c, (ci, ni) in enumerate(zip(convs, norms)):
            state[f"blocks.{b}.{ci}.weight"] = tensors[f"block{b}.conv{c}.weight"]
            for name in ["weight", "bias", "running_mean", "running_var"]:
                state[f"blocks.{b}.{ni}.{name}"] = tensors[f"block{b}.bn{c}.{name}"]
            state[f"blocks.{b}.{ni}.num_batches_tracked"] = torch.tensor(0)
    state["classifier.weight"], state["classifier.bias"] = tensors["classifier.weight"], tensors["classifier.bias"]
    model.load_state_dict(state)
    return model.eval(), metadata


def vote_targets(votes):
    """votes: N x 10 FER+ counts (pack_crops.VOTE_COLUMNS). Returns N x 7 in LABELS order: single votes dropped (as
    FER+'s majority rule drops them), renormalised over the seven classes; where no seven-class vote has two or more,
    all its seven-class votes; all zero where it has none."""
    v = votes[:, VOTES_FOR_LABELS].astype(np.float64)
    strong = np.where(v >= 2, v, 0)
    use = np.where(strong.sum(1, keepdims=True) > 0, strong, v)
    total = use.sum(1, keepdims=True)
    return (use / np.maximum(total, 1)).astype(np.float32)


class VoteSplit:
    """One split's FER+ votes, for training targets and scoring: `soft` (N x 7, vote_targets), `voted` (N x 7: the
    class got at least one vote), `majority` (LABELS index, -1 where FER+'s majority is none of the seven), `usable`
    (trainable: majority not dropped and some seven-class vote), `copy` (also in another split)."""

    def __init__(self, data, split):
        votes = data[f"votes_{split}"].astype(np.int64)
        names = data[f"ferplus_majority_{split}"]
        self.soft = vote_targets(votes)
        self.voted = votes[:, VOTES_FOR_LABELS] > 0
        self.majority = np.array([LABELS.index(n) if n in LABELS else -1 for n in names], dtype=np.int64)
        self.usable = ~np.isin(names, DROPPED_MAJORITIES) & (self.soft.sum(1) > 0)
        self.copy = data[f"copy_{split}"].astype(bool)
        self.names = names

    def subset(self, mask):
        out = VoteSplit.__new__(VoteSplit)
        for key in ["soft", "voted", "majority", "usable", "copy", "names"]:
            setattr(out, key, getattr(self, key)[mask])
        return out


def vote_report(logits, votes, temperature, without_copies=False):
    """Scores against FER+: accuracy, macro-F1, recall and confusion against the majority (pictures whose majority is
    one of the seven classes), ECE there before and after the temperature; cross-entropy against the vote
    distributions (vote_targets) and how often the top class got at least one human vote (pictures with usable
    votes)."""
    keep = np.ones(len(votes.majority), dtype=bool) if not without_copies else ~votes.copy
    device = logits.device
    majority = torch.from_numpy(votes.majority).to(device)
    m = torch.from_numpy(keep & (votes.majority >= 0)).to(device)
    u = torch.from_numpy(keep & votes.usable).to(device)
    soft = torch.from_numpy(votes.soft).to(device)
    out = scores(logits[m], majority[m])
    out["pictures"] = int(m.sum())
    out["ece"] = {"before": expected_calibration_error(logits[m].softmax(1), majority[m]),
                  "after": expected_calibration_error((logits[m] / temperature).softmax(1), majority[m])}
    out["vote_cross_entropy"] = {"before": float(F.cross_entropy(logits[u], soft[u])),
                                 "after": float(F.cross_entropy(logits[u] / temperature, soft[u]))}
    voted = torch.from_numpy(votes.voted).to(device)[u]
    out["top_class_voted"] = float(voted.gather(1, logits[u].argmax(1, keepdim=True)).float().mean())
    out["vote_pictures"] = int(u.sum())
    return out


def load_ckplus(folder, size):
    """ckplus-dev's class folders of PNG face crops (measured only, never trained on), grey, resized to the input
    size if they are not already."""
    from PIL import Image
    images, labels = [], []
    for name in sorted(os.listdir(folder)):
        if name not in LABELS or not os.path.isdir(os.path.join(folder, name)):
            continue
        for file in sorted(os.listdir(os.path.join(folder, name))):
            if not file.lower().endswith((".png", ".jpg", ".jpeg", ".pgm")):
                continue
            picture = Image.open(os.path.join(folder, name, file)).convert("L")
            if picture.size != (size, size):
                picture = picture.resize((size, size), Image.BILINEAR)
            images.append(np.asarray(picture))
            labels.append(LABELS.index(name))
    return torch.from_numpy(np.stack(images)), torch.from_numpy(np.array(labels, dtype=np.int64))


def ckplus_scores(logits, labels):
    """Accuracy over the classes present (a `neutral` answer, or any other, counts as wrong), per-class recall, the
    confusion (rows: the classes present, columns: all of LABELS) and how many were called neutral."""
    predicted, truth = logits.argmax(1).cpu().numpy(), labels.cpu().numpy()
    present = [c for c in range(len(LABELS)) if (truth == c).any()]
    confusion = [[int(((truth == c) & (predicted == p)).sum()) for p in range(len(LABELS))] for c in present]
    return {"accuracy": float((predicted == truth).mean()), "pictures": int(len(truth)),
            "recall": {LABELS[c]: round(float((predicted[truth == c] == c).mean()), 4) for c in present},
            "called_neutral": int((predicted == LABELS.index("neutral")).sum()),
            "confusion_rows": [LABELS[c] for c in present], "confusion": confusion}


def stratified_holdout(labels, fraction, seed):
    rng = np.random.default_rng(seed)
    held = []
    for c in range(len(LABELS)):
        members = np.flatnonzero(labels == c)
        rng.shuffle(members)
        held.append(members[: int(round(len(members) * fraction))])
    mask = np.zeros(len(labels), dtype=bool)
    mask[np.concatenate(held)] = True
    return mask


@torch.no_grad()
def logits_of(model, images, mode, device, flip=False, batch=1024):
    model.eval()
    out = []
    for start in range(0, len(images), batch):
        x = normalise(images[start:start + batch].float().unsqueeze(1).to(device) / 255, mode)
        y = model(x).float()
        if flip:
            y = (y + model(torch.flip(x, dims=[3])).float()) / 2
        out.append(y)
    return torch.cat(out)


def measured_batch_norm(average, images, mode, device, batch=128):
    """A copy of the averaged network with its batch-norm statistics measured anew on `images` (SWA's update_bn).
    Averaging the weights of a network whose weights still move fast (early epochs, a high learning rate) gives
    weights the averaged running statistics do not fit: at epoch 14 of a 30-epoch run the average read 17% of
    PublicTest with averaged statistics and 45% with measured ones (the network itself 55%)."""
    measured = copy.deepcopy(average)
    batches = (normalise(images[start:start + batch].float().unsqueeze(1).to(device) / 255, mode)
               for start in range(0, len(images), batch))
    torch.optim.swa_utils.update_bn(batches, measured)
    return measured.eval()


def fit_temperature(logits, labels):
    """The temperature minimising negative log-likelihood on held-back data (Guo et al. 2017)."""
    log_t = torch.zeros(1, requires_grad=True, device=logits.device)
    optimiser = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def closure():
        optimiser.zero_grad()
        loss = F.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    optimiser.step(closure)
    return float(log_t.exp())


def expected_calibration_error(probabilities, labels, bins=15):
    confidence, predicted = probabilities.max(1)
    correct = (predicted == labels).float()
    ece = torch.zeros((), device=probabilities.device)
    edges = torch.linspace(0, 1, bins + 1, device=probabilities.device)
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            ece += inside.float().mean() * (confidence[inside].mean() - correct[inside].mean()).abs()
    return float(ece)


def scores(logits, labels):
    predicted = logits.argmax(1).cpu().numpy()
    truth = labels.cpu().numpy()
    confusion = np.zeros((len(LABELS), len(LABELS)), dtype=int)
    np.add.at(confusion, (truth, predicted), 1)
    recall = confusion.diagonal() / np.maximum(confusion.sum(1), 1)
    precision = confusion.diagonal() / np.maximum(confusion.sum(0), 1)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return {"accuracy": float((predicted == truth).mean()), "macro_f1": float(f1.mean()),
            "recall": dict(zip(LABELS, recall.round(4).tolist())), "confusion": confusion.tolist()}


def export(model, path, metadata):
    """Plain names for Swift: block{b}.conv{c}.weight (OIHW), block{b}.bn{c}.{weight,bias,running_mean,
    running_var}, classifier.{weight,bias}."""
    from safetensors.torch import save_file
    tensors = {}
    for b, block in enumerate(model.blocks):
        convs = [m for m in block if isinstance(m, nn.Conv2d)]
        norms = [m for m in block if isinstance(m, nn.BatchNorm2d)]
        for c, (conv, bn) in enumerate(zip(convs, norms)):
            tensors[f"block{b}.conv{c}.weight"] = conv.weight
            for name in ["weight", "bias", "running_mean", "running_var"]:
                tensors[f"block{b}.bn{c}.{name}"] = getattr(bn, name)
    tensors["classifier.weight"] = model.classifier.weight
    tensors["classifier.bias"] = model.classifier.bias
    tensors = {k: v.detach().float().cpu().contiguous() for k, v in tensors.items()}
    save_file(tensors, path, metadata={k: json.dumps(v) if not isinstance(v, str) else v for k, v in metadata.items()})


def report_figure(history, test, path, title="PublicTest aligned"):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    figure, axes = plt.subplots(1, 3, figsize=(16, 4.6))
    epochs = [h["epoch"] for h in history]
    axes[0].plot(epochs, [h["train_loss"] for h in history], label="train (augmented)")
    axes[0].plot(epochs, [h["holdout_loss"] for h in history], label="held-back tenth")
    axes[0].set_title("loss"), axes[0].set_xlabel("epoch"), axes[0].legend()
    axes[1].plot(epochs, [h["train_accuracy"] for h in history], label="train (augmented)")
    axes[1].plot(epochs, [h["holdout_accuracy"] for h in history], label="held-back tenth")
    axes[1].plot(epochs, [h["test_accuracy"] for h in history], label="PublicTest aligned (measured only)")
    axes[1].plot(epochs, [h.get("test_whole_accuracy", float("nan")) for h in history], label="PublicTest whole (measured only)")
    for key, label in [("test_ferplus_accuracy", "PublicTest aligned, FER+ majority"), ("test_whole_ferplus_accuracy", "PublicTest whole, FER+ majority"),
                       ("holdout_ferplus_accuracy", "held-back tenth, FER+ majority"), ("ckplus_accuracy", "ckplus-dev (posed, measured only)")]:
        if any(key in h for h in history):
            axes[1].plot(epochs, [h.get(key, float("nan")) for h in history], label=label, linestyle="--")
    axes[1].set_title("accuracy"), axes[1].set_xlabel("epoch"), axes[1].legend(fontsize=7)
    confusion = np.array(test["confusion"])
    axes[2].imshow(confusion / confusion.sum(1, keepdims=True), cmap="Blues", vmin=0, vmax=1)
    for i in range(len(LABELS)):
        for j in range(len(LABELS)):
            axes[2].text(j, i, confusion[i, j], ha="center", va="center", fontsize=8)
    axes[2].set_xticks(range(len(LABELS)), LABELS, rotation=45), axes[2].set_yticks(range(len(LABELS)), LABELS)
    recall = ", ".join(f"{k} {v:.0%}" for k, v in test["recall"].items())
    axes[2].set_title(f"{title}: {test['accuracy']:.1%}, macro-F1 {test['macro_f1']:.3f}\n(rows truth; recall {recall})", fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help=".npz from pack_crops.py")
    parser.add_argument("--run", required=True, help="folder for checkpoints, the exported model and the report")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--widths", default="32,64,128,256")
    parser.add_argument("--convs", default="2,2,2,2", help="convolutions in each block")
    parser.add_argument("--dropout", type=float, default=0.3)
    parser.add_argument("--normalise", choices=["crop", "fixed"], default="crop")
    parser.add_argument("--epochs", type=int, default=160)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--label-smoothing", type=float, default=0.1)
    parser.add_argument("--ema", type=float, default=0.999)
    parser.add_argument("--ema-batch-norm", choices=["measured", "averaged"], default="measured",
                        help="the averaged network's batch-norm statistics: measured anew on training pictures before "
                             "each evaluation and the export (SWA's practice), or averaged with the weights (runs "
                             "before 2026-12-07)")
    parser.add_argument("--rotate", type=float, default=12)
    parser.add_argument("--zoom", type=float, default=0.12)
    parser.add_argument("--shift", type=float, default=0.08)
    parser.add_argument("--jpeg", type=float, default=0.2, help="chance that a crop is taken from its JPEG-degraded copy")
    parser.add_argument("--erase", type=float, default=0.25)
    parser.add_argument("--holdout", type=float, default=0.1)
    parser.add_argument("--teacher", action="append", default=[],
                        help="a trained model.safetensors to distil from (Hinton et al. 2015); repeat for an ensemble (mean logits)")
    parser.add_argument("--co-train", action="append", default=[], metavar="WIDTHS",
                        help="also train a network of these widths on the same batches and distil from the ensemble of "
                             "those trained alongside (repeatable); each is exported as teacherN.safetensors")
    parser.add_argument("--distill-ramp", type=int, default=0,
                        help="epochs over which the distillation weight rises from 0 (for --co-train, whose teachers start untrained)")
    parser.add_argument("--distill-weight", type=float, default=0.7, help="share of the loss that matches the teacher")
    parser.add_argument("--distill-temperature", type=float, default=4.0)
    parser.add_argument("--whole", type=float, default=0.35,
                        help="chance that a training sample is the whole picture rather than the aligned crop")
    parser.add_argument("--targets", choices=["fer2013", "ferplus"], default="fer2013",
                        help="train on FER2013's label, or on FER+'s votes (needs pack_crops.py --ferplus)")
    parser.add_argument("--mix-fer2013", type=float, default=0.0, metavar="W",
                        help="with --targets ferplus: target = (1 - W) * votes + W * FER2013's label")
    parser.add_argument("--drop-copies", choices=["auto", "yes", "no"], default="auto",
                        help="leave out training pictures that are also in another split (auto: yes with FER+ votes)")
    parser.add_argument("--balance", choices=["none", "sqrt"], default="none",
                        help="sqrt: sample pictures with weight sqrt(n_max / n_class), by FER+ majority (the top vote where "
                             "there is none) or FER2013 label")
    parser.add_argument("--logit-adjust", type=float, default=0.0, metavar="TAU",
                        help="add TAU * log(class prior of the targets as sampled) to the logits in the loss (Menon et al. 2021)")
    parser.add_argument("--ckplus", default=None, help="a class-folder set of posed faces to measure each epoch (never trained on)")
    parser.add_argument("--amp", choices=["auto", "bf16", "off"], default="auto",
                        help="bfloat16 autocast: auto = on CUDA only")
    parser.add_argument("--max-steps-per-epoch", type=int, default=None, help="for smoke tests")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--stop-after-seconds", type=float, default=None,
                        help="end training early (recorded in metrics.json) when the next epoch would pass this; "
                             "for bounded sessions, with --resume to continue later")
    args = parser.parse_args()

    os.makedirs(args.run, exist_ok=True)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    device = torch.device(args.device)
    torch.backends.cudnn.benchmark = True
    data = pack_crops.load(args.data)
    # The held-back tenth is stratified by FER2013's label whatever the targets, so every run holds back the same pictures.
    held = stratified_holdout(data["y_train"], args.holdout, args.seed)
    has_votes = "votes_train" in data and "votes_validation" in data
    if args.targets == "ferplus" and not has_votes:
        raise SystemExit("--targets ferplus needs FER+'s votes in --data: pack it with pack_crops.py --ferplus ferplus.csv")
    if args.mix_fer2013 and args.targets != "ferplus":
        raise SystemExit("--mix-fer2013 mixes FER2013's label into FER+'s votes: it needs --targets ferplus")
    votes_train = VoteSplit(data, "train") if has_votes else None
    votes_test = VoteSplit(data, "validation") if has_votes else None
    chosen = ~held
    selection = {"train_split": int(len(held)), "held_back": int(held.sum())}
    if args.targets == "ferplus":
        selection["dropped_majority_or_no_votes"] = int((chosen & ~votes_train.usable).sum())
        chosen &= votes_train.usable
    drop_copies = args.drop_copies == "yes" or (args.drop_copies == "auto" and args.targets == "ferplus")
    if drop_copies:
        if not has_votes:
            raise SystemExit("--drop-copies needs the copy flags: pack with pack_crops.py --ferplus ferplus.csv")
        selection["dropped_copies"] = int((chosen & votes_train.copy).sum())
        chosen &= ~votes_train.copy
    selection["trained_on"] = int(chosen.sum())
    x_train = torch.from_numpy(data["x_train"][chosen]).to(device)
    x_train_jpeg = torch.from_numpy(jpeg_copies(data["x_train"][chosen], args.seed)).to(device)
    # The whole pictures (the data set's own crops, as `whole_image` and `evaluate` read them), mixed in.
    w_train = torch.from_numpy(data["whole_train"][chosen]).to(device)
    w_train_jpeg = torch.from_numpy(jpeg_copies(data["whole_train"][chosen], args.seed + 1)).to(device)
    # A fixed, seeded sample of training inputs, aligned and whole as trained, to measure the averaged network's
    # batch-norm statistics on (--ema-batch-norm measured).
    sample = torch.from_numpy(np.random.default_rng(args.seed + 2).permutation(len(x_train))[:6400]).to(device)
    batch_norm_pictures = torch.cat([x_train[sample], w_train[sample]])
    w_hold, w_test = torch.from_numpy(data["whole_train"][held]), torch.from_numpy(data["whole_validation"])
    y_train = torch.from_numpy(data["y_train"][chosen]).to(device)
    x_hold, y_hold = torch.from_numpy(data["x_train"][held]), torch.from_numpy(data["y_train"][held]).to(device)
    x_test, y_test = torch.from_numpy(data["x_validation"]), torch.from_numpy(data["y_validation"]).to(device)
    votes_hold = votes_train.subset(held) if has_votes else None
    # Training targets: FER2013's label (class indices), or FER+'s vote distributions, optionally mixed with it.
    soft_train, balance_class = None, data["y_train"][chosen]
    if args.targets == "ferplus":
        chosen_votes = votes_train.subset(chosen)
        soft = chosen_votes.soft * (1 - args.mix_fer2013) + np.eye(len(LABELS), dtype=np.float32)[data["y_train"][chosen]] * args.mix_fer2013
        soft_train = torch.from_numpy(soft.astype(np.float32)).to(device)
        balance_class = np.where(chosen_votes.majority >= 0, chosen_votes.majority, chosen_votes.soft.argmax(1))
    counts = np.bincount(balance_class, minlength=len(LABELS))
    sample_weights = None
    if args.balance == "sqrt":
        sample_weights = np.sqrt(counts.max() / np.maximum(counts, 1))[balance_class]
    # The class prior of the targets as the network sees them (after the sampling weights): for --logit-adjust.
    targets_np = soft_train.cpu().numpy() if soft_train is not None else np.eye(len(LABELS))[data["y_train"][chosen]]
    weights_np = sample_weights if sample_weights is not None else np.ones(len(targets_np))
    prior = (targets_np * weights_np[:, None]).sum(0) / weights_np.sum()
    logit_adjustment = torch.from_numpy(args.logit_adjust * np.log(prior)).float().to(device) if args.logit_adjust else None
    selection.update({"balance_class_counts": dict(zip(LABELS, counts.tolist())),
                      "class_prior_as_sampled": dict(zip(LABELS, np.round(prior, 4).tolist()))})
    if sample_weights is not None:
        selection["sampling_weight_by_class"] = dict(zip(LABELS, np.round(np.sqrt(counts.max() / np.maximum(counts, 1)), 4).tolist()))
    sampling = torch.from_numpy(sample_weights).double() if sample_weights is not None else None
    ckplus = load_ckplus(args.ckplus, int(data["x_train"].shape[-1])) if args.ckplus else None
    print(f"train {len(x_train)}, held back {len(x_hold)}, PublicTest {len(x_test)}, device {device}; targets {args.targets}"
          f" {json.dumps(selection)}", flush=True)

    def network(widths):
        net = EmotionVGG([int(w) for w in widths.split(",")], [int(c) for c in args.convs.split(",")], dropout=args.dropout)
        net = net.to(device).to(memory_format=torch.channels_last)
        average = torch.optim.swa_utils.AveragedModel(net, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(args.ema),
                                                       use_buffers=True)
        return net, average

    model, ema = network(args.widths)

    def averaged_network(average):
        """The averaged weights as evaluated and exported: with batch-norm statistics measured on a fixed sample of
        training pictures, or as averaged (--ema-batch-norm)."""
        if args.ema_batch_norm == "averaged":
            return average.module
        return measured_batch_norm(average.module, batch_norm_pictures, args.normalise, device)
    # Teachers trained alongside (--co-train): their own losses, the same batches, one optimiser for everything.
    partners = [network(widths) for widths in args.co_train]
    decay, no_decay = [], []
    for net in [model] + [net for net, _ in partners]:
        for name, p in net.named_parameters():
            (no_decay if p.ndim == 1 else decay).append(p)
    optimiser = torch.optim.SGD([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0}],
                                lr=args.lr, momentum=0.9, nesterov=True)
    steps_per_epoch = len(x_train) // args.batch
    if args.max_steps_per_epoch:
        steps_per_epoch = min(steps_per_epoch, args.max_steps_per_epoch)

    def training_loss(logits, index):
        logits = logits.float()
        if logit_adjustment is not None:
            logits = logits + logit_adjustment
        if soft_train is None:
            return F.cross_entropy(logits, y_train[index], label_smoothing=args.label_smoothing)
        return F.cross_entropy(logits, soft_train[index], label_smoothing=args.label_smoothing)

    def learning_rate(step):
        warm = steps_per_epoch * args.warmup
        total = steps_per_epoch * args.epochs
        if step < warm:
            return args.lr * (step + 1) / warm
        return args.lr * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))

    teachers = []
    for path in args.teacher:
        teacher, teacher_metadata = load_exported(path)
        teachers.append((teacher.to(device).to(memory_format=torch.channels_last), teacher_metadata["normalise"]))
    history, start_epoch = [], 0
    checkpoint_path = os.path.join(args.run, "checkpoint.pt")
    if args.resume and os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path, map_location=device, weights_only=False)
        model.load_state_dict(state["model"]), ema.load_state_dict(state["ema"]), optimiser.load_state_dict(state["optimiser"])
        for (net, average), saved in zip(partners, state.get("partners", [])):
            net.load_state_dict(saved["model"]), average.load_state_dict(saved["ema"])
        history, start_epoch = state["history"], state["epoch"]
        print(f"resumed after epoch {start_epoch}", flush=True)
    autocast_type = torch.bfloat16
    use_autocast = args.amp == "bf16" or (args.amp == "auto" and device.type == "cuda")
    started = time.time()
    epoch = start_epoch
    while epoch < args.epochs:
        model.train()
        for net, _ in partners:
            net.train()
        # The data order and augmentation of an epoch depend on the seed and the epoch alone (resumable).
        generator = torch.Generator(device=device).manual_seed(args.seed * 1000 + epoch)
        if sampling is None:
            order = torch.randperm(len(x_train), generator=torch.Generator().manual_seed(args.seed * 1000 + epoch)).to(device)
        else:
            order = torch.multinomial(sampling, len(x_train), replacement=True,
                                      generator=torch.Generator().manual_seed(args.seed * 1000 + epoch)).to(device)
        loss_sum = torch.zeros((), device=device)
        correct = torch.zeros((), device=device, dtype=torch.long)
        seen = 0
        weight = args.distill_weight * min(1.0, (epoch + 1) / args.distill_ramp) if args.distill_ramp else args.distill_weight
        for step in range(steps_per_epoch):
            for group in optimiser.param_groups:
                group["lr"] = learning_rate(epoch * steps_per_epoch + step)
            index = order[step * args.batch:(step + 1) * args.batch]
            whole = (torch.rand(len(index), generator=generator, device=device) < args.whole).view(-1, 1, 1)
            pictures = torch.where(whole, w_train[index], x_train[index])
            jpeg_pictures = torch.where(whole, w_train_jpeg[index], x_train_jpeg[index])
            augmented = augment(pictures, jpeg_pictures, generator, args)
            x = normalise(augmented, args.normalise).contiguous(memory_format=torch.channels_last)
            y = y_train[index] if soft_train is None else soft_train[index].argmax(1)
            with torch.autocast(device.type, dtype=autocast_type, enabled=use_autocast):
                logits = model(x)
                partner_logits = [net(x).float() for net, _ in partners]
            loss = training_loss(logits, index)
            target = None
            if teachers:
                with torch.no_grad(), torch.autocast(device.type, dtype=autocast_type, enabled=use_autocast):
                    target = torch.stack([t(normalise(augmented, mode).contiguous(memory_format=torch.channels_last)).float()
                                          for t, mode in teachers]).mean(0)
            elif partners:
                target = torch.stack(partner_logits).mean(0).detach()
            if target is not None:
                t = args.distill_temperature
                matching = F.kl_div(F.log_softmax(logits.float() / t, 1), F.log_softmax(target / t, 1), log_target=True,
                                    reduction="batchmean") * t * t
                loss = (1 - weight) * loss + weight * matching
            total_loss = loss + sum(training_loss(p, index) for p in partner_logits)
            optimiser.zero_grad(set_to_none=True)
            total_loss.backward()
            optimiser.step()
            ema.update_parameters(model)
            for net, average in partners:
                average.update_parameters(net)
            loss_sum += loss.detach() * len(y)
            correct += (logits.argmax(1) == y).sum()
            seen += len(y)
        averaged = averaged_network(ema)
        hold_logits = logits_of(averaged, x_hold, args.normalise, device)
        test_logits = logits_of(averaged, x_test, args.normalise, device)
        test_whole_logits = logits_of(averaged, w_test, args.normalise, device)
        # holdout_* and test_* are against FER2013's label (as in every earlier run); *_ferplus_* against FER+'s majority.
        entry = {"epoch": epoch + 1, "train_loss": float(loss_sum) / seen, "train_accuracy": int(correct) / seen,
                 "holdout_loss": float(F.cross_entropy(hold_logits, y_hold)),
                 "holdout_accuracy": float((hold_logits.argmax(1) == y_hold).float().mean()),
                 "test_accuracy": float((test_logits.argmax(1) == y_test).float().mean()),
                 "test_whole_accuracy": float((test_whole_logits.argmax(1) == y_test).float().mean())}
        if has_votes:
            hold_votes = vote_report(hold_logits, votes_hold, 1.0)
            entry.update({"holdout_ferplus_accuracy": hold_votes["accuracy"], "holdout_ferplus_macro_f1": hold_votes["macro_f1"],
                          "holdout_vote_cross_entropy": hold_votes["vote_cross_entropy"]["before"],
                          "test_ferplus_accuracy": vote_report(test_logits, votes_test, 1.0)["accuracy"],
                          "test_whole_ferplus_accuracy": vote_report(test_whole_logits, votes_test, 1.0)["accuracy"]})
        if ckplus is not None:
            entry["ckplus_accuracy"] = ckplus_scores(logits_of(averaged, ckplus[0], args.normalise, device), ckplus[1])["accuracy"]
        entry["seconds"] = time.time() - started
        if partners:
            entry["partners_test_accuracy"] = [float((logits_of(averaged_network(a), x_test, args.normalise, device).argmax(1) == y_test).float().mean())
                                               for _, a in partners]
        history.append(entry)
        epoch += 1
        per_epoch = (time.time() - started) / (epoch - start_epoch)
        torch.save({"model": model.state_dict(), "ema": ema.state_dict(), "optimiser": optimiser.state_dict(),
                    "partners": [{"model": n.state_dict(), "ema": a.state_dict()} for n, a in partners],
                    "history": history, "epoch": epoch, "args": vars(args)}, checkpoint_path + ".tmp")
        os.replace(checkpoint_path + ".tmp", checkpoint_path)
        with open(os.path.join(args.run, "history.json"), "w") as f:
            json.dump(history, f)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in entry.items()}), flush=True)
        if args.stop_after_seconds and time.time() - started + per_epoch > args.stop_after_seconds and epoch < args.epochs:
            print(f"stopping after epoch {epoch} of {args.epochs}: the time limit is near", flush=True)
            break

    final = averaged_network(ema)
    # The temperature is fitted on both kinds of held-back input, aligned crops and whole pictures: against FER2013's
    # label, or, with FER+ targets, to match the vote distributions (pictures with usable votes).
    hold_aligned, hold_whole = logits_of(final, x_hold, args.normalise, device), logits_of(final, w_hold, args.normalise, device)
    hold_logits = torch.cat([hold_aligned, hold_whole])
    y_hold = torch.cat([y_hold, y_hold])
    if args.targets == "ferplus":
        usable = torch.from_numpy(np.concatenate([votes_hold.usable, votes_hold.usable])).to(device)
        soft_hold = torch.from_numpy(np.concatenate([votes_hold.soft, votes_hold.soft])).to(device)
        temperature = fit_temperature(hold_logits[usable], soft_hold[usable])
    else:
        temperature = fit_temperature(hold_logits, y_hold)
    test_whole = logits_of(final, w_test, args.normalise, device)
    test_logits = logits_of(final, x_test, args.normalise, device)
    test_flip = logits_of(final, x_test, args.normalise, device, flip=True)
    found = torch.from_numpy(data["found_validation"]).to(device)
    metrics = {
        "test": scores(test_logits, y_test),
        "test_flip_averaged": scores(test_flip, y_test),
        "test_whole": scores(test_whole, y_test),
        "test_whole_flip_averaged": scores(logits_of(final, w_test, args.normalise, device, flip=True), y_test),
        "test_faces_found_only": scores(test_logits[found], y_test[found]),
        "holdout": scores(hold_logits, y_hold),
        "temperature": temperature,
        "ece_holdout": {"before": expected_calibration_error(hold_logits.softmax(1), y_hold),
                        "after": expected_calibration_error((hold_logits / temperature).softmax(1), y_hold)},
        "ece_test": {"before": expected_calibration_error(test_logits.softmax(1), y_test),
                     "after": expected_calibration_error((test_logits / temperature).softmax(1), y_test)},
        "ece_test_whole": {"before": expected_calibration_error(test_whole.softmax(1), y_test),
                           "after": expected_calibration_error((test_whole / temperature).softmax(1), y_test)},
        "temperature_fitted_to": "FER+ vote distributions" if args.targets == "ferplus" else "FER2013 labels",
        "faces_found": {"train": float(data["found_train"].mean()), "validation": float(data["found_validation"].mean())},
        "training_pictures": selection,
        "parameters": sum(p.numel() for p in final.parameters()),
        "epochs": len(history), "epochs_planned": args.epochs, "training_seconds": history[-1]["seconds"] if history else 0,
        "device": torch.cuda.get_device_name() if device.type == "cuda" else "cpu", "torch": torch.__version__,
        "recipe": vars(args),
    }
    if has_votes:
        # Against FER+: the majority (accuracy, macro-F1, recall, ECE) and the votes (cross-entropy, top class voted).
        test_whole_flip = logits_of(final, w_test, args.normalise, device, flip=True)
        metrics["ferplus"] = {
            "holdout": {"aligned": vote_report(hold_aligned, votes_hold, temperature),
                        "aligned_without_copies": vote_report(hold_aligned, votes_hold, temperature, without_copies=True),
                        "whole": vote_report(hold_whole, votes_hold, temperature),
                        "whole_without_copies": vote_report(hold_whole, votes_hold, temperature, without_copies=True)},
            "test": {"aligned": vote_report(test_logits, votes_test, temperature),
                     "aligned_without_copies": vote_report(test_logits, votes_test, temperature, without_copies=True),
                     "aligned_flip_averaged": vote_report(test_flip, votes_test, temperature),
                     "whole": vote_report(test_whole, votes_test, temperature),
                     "whole_without_copies": vote_report(test_whole, votes_test, temperature, without_copies=True),
                     "whole_flip_averaged": vote_report(test_whole_flip, votes_test, temperature)},
            "definitions": "accuracy, macro_f1, recall, confusion, ece: against FER+'s majority, on the pictures whose majority "
                           "is one of the seven classes (`pictures`); vote_cross_entropy (before/after the temperature) and "
                           "top_class_voted (the top class got at least one of the ten votes): on the pictures with usable votes "
                           "(`vote_pictures`: majority not NF, unknown, contempt or no_votes); `_without_copies`: pictures "
                           "also in another split left out. FER2013-label scores are `test`, `test_whole`, `holdout`.",
        }
    if ckplus is not None:
        metrics["ckplus"] = {"folder": args.ckplus, "whole": ckplus_scores(logits_of(final, ckplus[0], args.normalise, device), ckplus[1]),
                             "whole_flip_averaged": ckplus_scores(logits_of(final, ckplus[0], args.normalise, device, flip=True), ckplus[1])}
    if partners:
        # The networks trained alongside: each exported, each measured, and their ensemble (the student's target).
        metrics["partners"] = []
        for i, (_, average) in enumerate(partners):
            export(average.module, os.path.join(args.run, f"teacher{i}.safetensors"),
                   {"labels": LABELS, "widths": average.module.widths, "convs": average.module.convs, "normalise": args.normalise,
                    "temperature": 1.0, "input_size": int(data["x_train"].shape[-1])})
            metrics["partners"].append({"widths": average.module.widths,
                                        "test": scores(logits_of(average.module, x_test, args.normalise, device), y_test),
                                        "test_whole": scores(logits_of(average.module, w_test, args.normalise, device), y_test)})
        for name, images in [("test", x_test), ("test_whole", w_test)]:
            mean = torch.stack([logits_of(a.module, images, args.normalise, device) for _, a in partners]).mean(0)
            metrics[f"partners_ensemble_{name}"] = scores(mean, y_test)
    with open(os.path.join(args.run, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=1)
    with open(os.path.join(args.run, "history.json"), "w") as f:
        json.dump(history, f)
    export(final, os.path.join(args.run, "model.safetensors"),
           {"labels": LABELS, "widths": final.widths, "convs": final.convs, "normalise": args.normalise,
            "temperature": temperature, "input_size": int(data["x_train"].shape[-1])})
    if args.targets == "ferplus":
        report_figure(history, metrics["ferplus"]["test"]["aligned"], os.path.join(args.run, "report.png"), "PublicTest aligned, FER+ majority")
    else:
        report_figure(history, metrics["test"], os.path.join(args.run, "report.png"))
    print(json.dumps({k: metrics[k] for k in ["temperature", "ece_holdout", "ece_test"]}), flush=True)
    if partners:
        print("trained alongside: " + "; ".join(f"{p['widths']} {p['test']['accuracy']:.4f} (whole {p['test_whole']['accuracy']:.4f})"
                                                 for p in metrics["partners"]) +
              f"; ensemble {metrics['partners_ensemble_test']['accuracy']:.4f} (whole {metrics['partners_ensemble_test_whole']['accuracy']:.4f})", flush=True)
    print(f"PublicTest whole pictures {metrics['test_whole']['accuracy']:.4f}, macro-F1 {metrics['test_whole']['macro_f1']:.4f}", flush=True)
    print(f"PublicTest {metrics['test']['accuracy']:.4f} (flip-averaged {metrics['test_flip_averaged']['accuracy']:.4f}), "
          f"macro-F1 {metrics['test']['macro_f1']:.4f}, recall {metrics['test']['recall']}", flush=True)
    if has_votes:
        for name in ["aligned", "aligned_without_copies", "whole"]:
            r = metrics["ferplus"]["test"][name]
            print(f"PublicTest {name}, FER+ majority: {r['accuracy']:.4f}, macro-F1 {r['macro_f1']:.4f}, vote cross-entropy "
                  f"{r['vote_cross_entropy']['after']:.4f}, top class voted {r['top_class_voted']:.4f}, recall {r['recall']}", flush=True)
    if ckplus is not None:
        print(f"ckplus-dev whole: {metrics['ckplus']['whole']['accuracy']:.4f}, recall {metrics['ckplus']['whole']['recall']}, "
              f"called neutral {metrics['ckplus']['whole']['called_neutral']}", flush=True)


if __name__ == "__main__":
    main()
