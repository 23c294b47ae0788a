"""The book's pictures. Each function draws one figure and returns it."""

import matplotlib.pyplot as plt
import numpy as np


def digit_as_rows(image, label=None):
    """A digit as the network sees it: the image, then its rows fed one per time step."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4.2), width_ratios=(1, 1.3))
    left.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    left.set_title("the image" + (f" (label {label})" if label is not None else ""))
    left.set_xticks([]), left.set_yticks([])
    gap, n_rows = 0.35, image.shape[0]
    for t in range(n_rows):
        right.imshow(
            image[t : t + 1],
            cmap="gray_r",
            vmin=0,
            vmax=1,
            aspect="auto",
            extent=(0, image.shape[1], -t * (1 + gap) - 1, -t * (1 + gap)),
        )
    right.set_xlim(0, image.shape[1])
    right.set_ylim(-n_rows * (1 + gap), gap)
    ticks = [0, 6, 13, 20, 27]
    right.set_yticks([-t * (1 + gap) - 0.5 for t in ticks], [f"step {t + 1}" for t in ticks])
    right.set_xlabel("the 28 pixels of one row = the input at that step")
    right.set_title("the same image as 28 time steps, read top to bottom")
    fig.tight_layout()
    return fig


def unrolled_rnn(n_shown=4):
    """A schematic of a recurrent network unrolled over time: one cell, reused at every step."""
    fig, ax = plt.subplots(figsize=(9, 2.6))
    box = dict(boxstyle="round,pad=0.4", facecolor="#dbe9f6", edgecolor="#1f4e79")
    arrow = dict(arrowstyle="->", color="#333333")
    steps = [str(t + 1) for t in range(n_shown)] + ["28"]
    xs = list(range(n_shown)) + [n_shown + 0.8]
    for x, t in zip(xs, steps):
        ax.annotate("", xy=(x, 0.28), xytext=(x, -0.35), arrowprops=arrow)
        ax.text(x, -0.42, f"row $x_{{{t}}}$", ha="center", va="top")
        ax.text(x, 0.5, "LSTM\ncell", ha="center", va="center", bbox=box)
    # The hidden state flows left to right: h_0 into the first cell, h_t out of cell t.
    sources = [(xs[0] - 1.0, "$h_0 = 0$")] + [
        (x + 0.3, f"$h_{{{t}}}$") for x, t in zip(xs, steps)
    ]
    targets = [x - 0.3 for x in xs] + [xs[-1] + 1.0]
    for (start, label), stop in zip(sources, targets):
        ax.annotate("", xy=(stop, 0.5), xytext=(start, 0.5), arrowprops=arrow)
        ax.text((start + stop) / 2, 0.62, label, ha="center", fontsize=9)
    ax.text((xs[-2] + xs[-1]) / 2, 0.3, "...", ha="center", fontsize=16)
    ax.text(
        xs[-1] + 1.05,
        0.5,
        "dense layer\n→ 10 logits",
        va="center",
        bbox=dict(box, facecolor="#fde9c9"),
    )
    ax.set_xlim(xs[0] - 1.3, xs[-1] + 2.5), ax.set_ylim(-0.75, 0.9)
    ax.axis("off")
    ax.set_title("The same cell and the same variables, applied once per row")
    fig.tight_layout()
    return fig


def training_curves(history):
    """Loss and accuracy: per step (thin), per epoch (dots), and held out (dashed) if recorded."""
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    samples = np.array(history.steps["samples"])
    epoch_ends = samples[history.steps_per_epoch - 1 :: history.steps_per_epoch]
    for ax, key in zip(axes, ("loss", "accuracy")):
        ax.plot(samples, history.steps[key], lw=0.6, alpha=0.5, label="training, per step")
        ax.plot(epoch_ends, history.epochs[key], "o-", label="training, per epoch")
        if history.epochs["val_" + key]:
            ax.plot(
                epoch_ends, history.epochs["val_" + key], "s--", label="held-out, per epoch"
            )
        ax.set_xlabel("training examples seen")
        ax.set_title(key)
        ax.grid(alpha=0.3)
    axes[1].legend(loc="lower right")
    fig.tight_layout()
    return fig


def confusion_heatmap(matrix, class_names):
    """A confusion matrix with the counts written in the cells."""
    fig, ax = plt.subplots(figsize=(6.4, 5.6))
    ax.imshow(matrix, cmap="Blues")
    for (i, j), count in np.ndenumerate(matrix):
        ax.text(
            j,
            i,
            count,
            ha="center",
            va="center",
            fontsize=8,
            color="white" if count > matrix.max() / 2 else "black",
        )
    ticks = range(len(class_names))
    ax.set_xticks(
        ticks, class_names, rotation=45 if max(map(len, class_names)) > 2 else 0, ha="right"
    )
    ax.set_yticks(ticks, class_names)
    ax.set_xlabel("predicted class"), ax.set_ylabel("true class")
    fig.tight_layout()
    return fig


def image_grid(images, titles, columns=5):
    """Small images with a caption under each, such as the misclassified digits."""
    rows = -(-len(images) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.9 * columns, 2.1 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, title in zip(axes.flat, images, titles):
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title, fontsize=9)
    fig.tight_layout()
    return fig


def probability_bars(probabilities, class_names, title=None):
    """One bar per class: the network's probability for it."""
    fig, ax = plt.subplots(figsize=(6.4, 3))
    ax.bar(range(len(probabilities)), probabilities, color="#4c72b0")
    ax.axhline(1 / len(probabilities), color="gray", ls=":", label="1 / number of classes")
    ax.set_xticks(range(len(class_names)), class_names)
    ax.set_ylabel("probability")
    ax.set_title(title or "predicted probabilities")
    ax.legend()
    fig.tight_layout()
    return fig


def gate_activity(trace, example=0, units=32):
    """Hidden state, cell state and the four gates of one example, over the time steps."""
    names = ("input", "forget", "candidate", "output", "cell", "hidden")
    fig, axes = plt.subplots(2, 3, figsize=(11, 6), sharex=True, sharey=True)
    for ax, name in zip(axes.flat, names):
        values = np.asarray(trace[name][example, :, :units]).T
        limit = 1 if name in ("input", "forget", "output") else max(np.abs(values).max(), 1e-6)
        image = ax.imshow(
            values,
            aspect="auto",
            cmap="viridis" if limit == 1 else "RdBu_r",
            vmin=0 if limit == 1 else -limit,
            vmax=limit,
        )
        ax.set_title(f"{name} gate" if name in names[:4] else f"{name} state")
        fig.colorbar(image, ax=ax, fraction=0.046)
    for ax in axes[1]:
        ax.set_xlabel("time step (row)")
    for ax in axes[:, 0]:
        ax.set_ylabel(f"unit (first {units})")
    fig.tight_layout()
    return fig
