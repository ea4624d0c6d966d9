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
  * optional distillation from the softened outputs of trained networks (`--teacher`, repeatable: their mean
    logits; Hinton et al. 2015), or of wider networks trained alongside on the same batches (`--co-train`,
    online distillation as in Anil et al. 2018), which are exported too.
  * SGD with Nesterov momentum, weight decay, linear warm-up then one cosine decay; label smoothing; an
    exponential moving average of the weights is what is exported.
  * seeded, with a deterministic data order; a checkpoint after every epoch, so a long schedule can run in parts.
"""
import argparse
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


def report_figure(history, test, path):
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
    axes[1].set_title("accuracy"), axes[1].set_xlabel("epoch"), axes[1].legend()
    confusion = np.array(test["confusion"])
    axes[2].imshow(confusion / confusion.sum(1, keepdims=True), cmap="Blues", vmin=0, vmax=1)
    for i in range(len(LABELS)):
        for j in range(len(LABELS)):
            axes[2].text(j, i, confusion[i, j], ha="center", va="center", fontsize=8)
    axes[2].set_xticks(range(len(LABELS)), LABELS, rotation=45), axes[2].set_yticks(range(len(LABELS)), LABELS)
    recall = ", ".join(f"{k} {v:.0%}" for k, v in test["recall"].items())
    axes[2].set_title(f"PublicTest aligned: {test['accuracy']:.1%}, macro-F1 {test['macro_f1']:.3f}\n(rows truth; recall {recall})", fontsize=7)
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
    held = stratified_holdout(data["y_train"], args.holdout, args.seed)
    x_train = torch.from_numpy(data["x_train"][~held]).to(device)
    x_train_jpeg = torch.from_numpy(jpeg_copies(data["x_train"][~held], args.seed)).to(device)
    # The whole pictures (the data set's own crops, as `whole_image` and `evaluate` read them), mixed in.
    w_train = torch.from_numpy(data["whole_train"][~held]).to(device)
    w_train_jpeg = torch.from_numpy(jpeg_copies(data["whole_train"][~held], args.seed + 1)).to(device)
    w_hold, w_test = torch.from_numpy(data["whole_train"][held]), torch.from_numpy(data["whole_validation"])
    y_train = torch.from_numpy(data["y_train"][~held]).to(device)
    x_hold, y_hold = torch.from_numpy(data["x_train"][held]), torch.from_numpy(data["y_train"][held]).to(device)
    x_test, y_test = torch.from_numpy(data["x_validation"]), torch.from_numpy(data["y_validation"]).to(device)
    print(f"train {len(x_train)}, held back {len(x_hold)}, PublicTest {len(x_test)}, device {device}", flush=True)

    def network(widths):
        net = EmotionVGG([int(w) for w in widths.split(",")], [int(c) for c in args.convs.split(",")], dropout=args.dropout)
        net = net.to(device).to(memory_format=torch.channels_last)
        average = torch.optim.swa_utils.AveragedModel(net, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(args.ema),
                                                       use_buffers=True)
        return net, average

    model, ema = network(args.widths)
    # Teachers trained alongside (--co-train): their own losses, the same batches, one optimiser for everything.
    partners = [network(widths) for widths in args.co_train]
    decay, no_decay = [], []
    for net in [model] + [net for net, _ in partners]:
        for name, p in net.named_parameters():
            (no_decay if p.ndim == 1 else decay).append(p)
    optimiser = torch.optim.SGD([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0}],
                                lr=args.lr, momentum=0.9, nesterov=True)
    steps_per_epoch = len(x_train) // args.batch

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
    started = time.time()
    epoch = start_epoch
    while epoch < args.epochs:
        model.train()
        for net, _ in partners:
            net.train()
        # The data order and augmentation of an epoch depend on the seed and the epoch alone (resumable).
        generator = torch.Generator(device=device).manual_seed(args.seed * 1000 + epoch)
        order = torch.randperm(len(x_train), generator=torch.Generator().manual_seed(args.seed * 1000 + epoch)).to(device)
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
            y = y_train[index]
            with torch.autocast(device.type, dtype=autocast_type):
                logits = model(x)
                partner_logits = [net(x).float() for net, _ in partners]
            loss = F.cross_entropy(logits.float(), y, label_smoothing=args.label_smoothing)
            target = None
            if teachers:
                with torch.no_grad(), torch.autocast(device.type, dtype=autocast_type):
                    target = torch.stack([t(normalise(augmented, mode).contiguous(memory_format=torch.channels_last)).float()
                                          for t, mode in teachers]).mean(0)
            elif partners:
                target = torch.stack(partner_logits).mean(0).detach()
            if target is not None:
                t = args.distill_temperature
                matching = F.kl_div(F.log_softmax(logits.float() / t, 1), F.log_softmax(target / t, 1), log_target=True,
                                    reduction="batchmean") * t * t
                loss = (1 - weight) * loss + weight * matching
            total_loss = loss + sum(F.cross_entropy(p, y, label_smoothing=args.label_smoothing) for p in partner_logits)
            optimiser.zero_grad(set_to_none=True)
            total_loss.backward()
            optimiser.step()
            ema.update_parameters(model)
            for net, average in partners:
                average.update_parameters(net)
            loss_sum += loss.detach() * len(y)
            correct += (logits.argmax(1) == y).sum()
            seen += len(y)
        hold_logits = logits_of(ema.module, x_hold, args.normalise, device)
        test_logits = logits_of(ema.module, x_test, args.normalise, device)
        entry = {"epoch": epoch + 1, "train_loss": float(loss_sum) / seen, "train_accuracy": int(correct) / seen,
                 "holdout_loss": float(F.cross_entropy(hold_logits, y_hold)),
                 "holdout_accuracy": float((hold_logits.argmax(1) == y_hold).float().mean()),
                 "test_accuracy": float((test_logits.argmax(1) == y_test).float().mean()),
                 "test_whole_accuracy": float((logits_of(ema.module, w_test, args.normalise, device).argmax(1) == y_test).float().mean()),
                 "seconds": time.time() - started}
        if partners:
            entry["partners_test_accuracy"] = [float((logits_of(a.module, x_test, args.normalise, device).argmax(1) == y_test).float().mean())
                                               for _, a in partners]
        history.append(entry)
        epoch += 1
        per_epoch = (time.time() - started) / (epoch - start_epoch)
        torch.save({"model": model.state_dict(), "ema": ema.state_dict(), "optimiser": optimiser.state_dict(),
                    "partners": [{"model": n.state_dict(), "ema": a.state_dict()} for n, a in partners],
                    "history": history, "epoch": epoch, "args": vars(args)}, checkpoint_path + ".tmp")
        os.replace(checkpoint_path + ".tmp", checkpoint_path)
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in entry.items()}), flush=True)
        if args.stop_after_seconds and time.time() - started + per_epoch > args.stop_after_seconds and epoch < args.epochs:
            print(f"stopping after epoch {epoch} of {args.epochs}: the time limit is near", flush=True)
            break

    final = ema.module
    # The temperature is fitted on both kinds of held-back input, aligned crops and whole pictures.
    hold_logits = torch.cat([logits_of(final, x_hold, args.normalise, device), logits_of(final, w_hold, args.normalise, device)])
    y_hold = torch.cat([y_hold, y_hold])
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
        "faces_found": {"train": float(data["found_train"].mean()), "validation": float(data["found_validation"].mean())},
        "parameters": sum(p.numel() for p in final.parameters()),
        "epochs": len(history), "epochs_planned": args.epochs, "training_seconds": history[-1]["seconds"] if history else 0,
        "device": torch.cuda.get_device_name() if device.type == "cuda" else "cpu", "torch": torch.__version__,
        "recipe": vars(args),
    }
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
    report_figure(history, metrics["test"], os.path.join(args.run, "report.png"))
    print(json.dumps({k: metrics[k] for k in ["temperature", "ece_holdout", "ece_test"]}), flush=True)
    if partners:
        print("trained alongside: " + "; ".join(f"{p['widths']} {p['test']['accuracy']:.4f} (whole {p['test_whole']['accuracy']:.4f})"
                                                 for p in metrics["partners"]) +
              f"; ensemble {metrics['partners_ensemble_test']['accuracy']:.4f} (whole {metrics['partners_ensemble_test_whole']['accuracy']:.4f})", flush=True)
    print(f"PublicTest whole pictures {metrics['test_whole']['accuracy']:.4f}, macro-F1 {metrics['test_whole']['macro_f1']:.4f}", flush=True)
    print(f"PublicTest {metrics['test']['accuracy']:.4f} (flip-averaged {metrics['test_flip_averaged']['accuracy']:.4f}), "
          f"macro-F1 {metrics['test']['macro_f1']:.4f}, recall {metrics['test']['recall']}", flush=True)


if __name__ == "__main__":
    main()
