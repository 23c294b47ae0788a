"""The book's pictures. Each function draws one figure and returns it.

`held_out_dots` is the exception: it draws on an axis of a figure of yours.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patches

from rnnlib.recipes import held_out_scores


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


# Colours of the cell diagrams: layers with weights, element-wise operations, the two states.
LAYER = dict(facecolor="#fbe3a1", edgecolor="#a8790f")
POINTWISE = dict(facecolor="#f7c6d0", edgecolor="#b0305a")
CELL_STATE, HIDDEN_STATE = "#1f4e79", "#3a3a3a"
CELL_NAMES = {"lstm": "LSTM", "gru": "GRU", "simple": "RNN"}


def unrolled_rnn(n_shown=4, cell="lstm"):
    """A recurrent network unrolled over time: one cell, reused at every step.

    An LSTM passes two states from step to step, the cell state c_t (top lane) and the hidden
    state h_t (bottom lane); a plain RNN or a GRU passes h_t only. After the last row, h_28 goes
    to the dense layer; c_28 stays inside the layer.
    """
    if cell not in CELL_NAMES:
        raise ValueError(f"unknown cell {cell!r}; choose one of {', '.join(CELL_NAMES)}")
    lstm = cell == "lstm"
    fig, ax = plt.subplots(figsize=(10, 2.8 if lstm else 2.3))
    steps = [str(t + 1) for t in range(n_shown)] + ["28"]
    xs = [1.6 * t for t in range(n_shown)] + [1.6 * n_shown + 1.2]
    width, height = 0.9, 1.25 if lstm else 0.8
    lanes = {"h": 0.3} | ({"c": 0.95} if lstm else {})
    middle = 0.62 if lstm else 0.3
    for x, t in zip(xs, steps):
        ax.add_patch(
            patches.FancyBboxPatch(
                (x - width / 2, middle - height / 2),
                width,
                height,
                boxstyle="round,pad=0,rounding_size=0.12",
                facecolor="#dbe9f6",
                edgecolor=CELL_STATE,
                lw=1.3,
                zorder=3,
            )
        )
        ax.text(x, middle, f"{CELL_NAMES[cell]}\ncell", ha="center", va="center", zorder=4)
        _arrow(ax, [(x, -0.75), (x, middle - height / 2)])
        ax.text(x, -0.8, f"row $x_{{{t}}}$", ha="center", va="top", fontsize=11)
    gap = (xs[-2] + width / 2 + 0.55, xs[-1] - width / 2 - 0.55)  # steps 5 to 27, left out
    for name, y in lanes.items():
        color = CELL_STATE if name == "c" else HIDDEN_STATE
        segments = [(xs[0] - 1.3, xs[0] - width / 2, f"${name}_0 = 0$")]
        segments += [
            (a + width / 2, b - width / 2, f"${name}_{{{t}}}$")
            for a, b, t in zip(xs[:-2], xs[1:-1], steps)
        ]
        segments += [
            (xs[-2] + width / 2, gap[0], f"${name}_{{{steps[-2]}}}$"),
            (gap[1], xs[-1] - width / 2, f"${name}_{{27}}$"),
        ]
        if name == "h":
            segments.append((xs[-1] + width / 2, xs[-1] + 1.1, "$h_{28}$"))
        for start, stop, label in segments:
            _arrow(
                ax, [(start, y), (stop, y)], color, 2.6 if name == "c" else 1.6, stop != gap[0]
            )
            ax.text((start + stop) / 2, y + 0.08, label, ha="center", va="bottom", color=color)
        ax.text(sum(gap) / 2, y, "⋯", ha="center", va="center", fontsize=14, color=color)
    ax.text(
        xs[-1] + 1.15,
        lanes["h"],
        "dense layer\n→ 10 logits",
        va="center",
        bbox=dict(boxstyle="round,pad=0.4", facecolor="#fde9c9", edgecolor=CELL_STATE),
    )
    ax.set_xlim(xs[0] - 1.4, xs[-1] + 2.9), ax.set_ylim(-1.2, 1.35 if lstm else 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title("The same cell and the same variables, applied once per row")
    fig.tight_layout()
    return fig


def lstm_cell():
    """One LSTM cell, in the manner of Olah's "Understanding LSTM Networks".

    The cell state c runs straight along the top: at each step it is only multiplied by the
    forget gate and added to. x_t and h_{t-1} feed the three gates and the candidate (the
    yellow layers, each with its own weights); h_t leaves at the bottom, to the next step, and
    upwards, as the layer's output.
    """
    fig, ax = plt.subplots(figsize=(9.5, 5.8))
    ax.add_patch(
        patches.FancyBboxPatch(
            (0, 0),
            10,
            6,
            boxstyle="round,pad=0,rounding_size=0.5",
            facecolor="#eef3f9",
            edgecolor="#9db4cf",
            lw=1.5,
            zorder=0,
        )
    )
    top, gates, bus = 5.0, 2.6, 1.0  # heights of the cell state, the four blocks, the inputs
    f_x, i_x, g_x, o_x, out_x, up_x = 2.3, 4.0, 5.6, 7.3, 8.8, 10.6
    # The cell state: in from the left, through x and +, out to the right.
    for start, stop, head in ((-1.4, f_x - 0.3, False), (f_x + 0.3, g_x - 0.3, False)):
        _arrow(ax, [(start, top), (stop, top)], CELL_STATE, 3.2, head)
    _arrow(ax, [(g_x + 0.3, top), (11.6, top)], CELL_STATE, 3.2, zorder=3)
    ax.text(-1.5, top + 0.35, "$c_{t-1}$", fontsize=14)
    ax.text(11.6, top + 0.35, "$c_t$", fontsize=14, ha="right")
    ax.text(
        0.35, top + 0.55, "cell state: the memory", fontsize=9, color=CELL_STATE, style="italic"
    )
    # The inputs: h_{t-1} from the left and x_t from below, on one line to all four blocks.
    _arrow(ax, [(-1.4, bus), (o_x, bus)], head=False)
    _arrow(ax, [(1.0, -1.3), (1.0, bus)], head=False)
    ax.add_patch(patches.Circle((1.0, bus), 0.08, color=HIDDEN_STATE, zorder=3))
    ax.text(-1.5, bus - 0.5, "$h_{t-1}$", fontsize=14)
    ax.text(1.25, bus - 0.45, "hidden state", fontsize=9, color=HIDDEN_STATE, style="italic")
    ax.text(1.2, -1.2, "$x_t$", fontsize=14)
    for x in (f_x, i_x, g_x, o_x):
        _arrow(ax, [(x, bus), (x, gates - 0.5)])
    _layer(ax, f_x, gates, r"$\sigma$", "forget gate")
    _layer(ax, i_x, gates, r"$\sigma$", "input gate")
    _layer(ax, g_x, gates, "tanh", "candidate")
    _layer(ax, o_x, gates, r"$\sigma$", "output gate")
    # c_t = f_t * c_{t-1} + i_t * g_t
    _arrow(ax, [(f_x, gates + 0.5), (f_x, top - 0.3)])
    ax.text(f_x + 0.12, 3.7, "$f_t$", fontsize=13)
    _pointwise(ax, f_x, top, "×")
    mix = 4.0
    _arrow(ax, [(i_x, gates + 0.5), (i_x, mix), (g_x - 0.3, mix)])
    ax.text(i_x + 0.12, 3.45, "$i_t$", fontsize=13)
    _arrow(ax, [(g_x, gates + 0.5), (g_x, mix - 0.3)])
    ax.text(g_x + 0.12, 3.3, "$g_t$", fontsize=13)
    _pointwise(ax, g_x, mix, "×")
    _arrow(ax, [(g_x, mix + 0.3), (g_x, top - 0.3)])
    _pointwise(ax, g_x, top, "+")
    # h_t = o_t * tanh(c_t)
    squash = 3.9
    _arrow(ax, [(out_x, top), (out_x, squash + 0.38)], CELL_STATE)
    _pointwise(ax, out_x, squash, "tanh", radius=0.38)
    _arrow(ax, [(out_x, squash - 0.38), (out_x, gates + 0.3)])
    _arrow(ax, [(o_x + 0.65, gates), (out_x - 0.3, gates)])
    ax.text((o_x + out_x + 0.35) / 2, gates + 0.2, "$o_t$", fontsize=13, ha="center")
    _pointwise(ax, out_x, gates, "×")
    _arrow(ax, [(out_x, gates - 0.3), (out_x, bus), (11.6, bus)])
    ax.text(11.6, bus - 0.5, "$h_t$", fontsize=14, ha="right")
    ax.add_patch(patches.Circle((up_x, bus), 0.08, color=HIDDEN_STATE, zorder=3))
    _arrow(ax, [(up_x, bus), (up_x, 6.9)], zorder=1)
    ax.text(up_x + 0.15, 6.6, "$h_t$  (the output)", fontsize=12)
    # Where h_t crosses the cell state, the cell state passes over it.
    ax.add_patch(
        patches.Rectangle((up_x - 0.12, top - 0.17), 0.24, 0.34, color="white", zorder=2)
    )
    # A legend for the two kinds of block.
    _layer(ax, 6.2, -0.85, "", "", width=0.55, height=0.4)
    ax.text(
        6.6,
        -0.85,
        r"a layer with its own $W, U, b$: $\sigma$ or tanh of $x_t W + h_{t-1} U + b$",
        va="center",
        fontsize=9,
    )
    _pointwise(ax, 6.2, -1.45, "", radius=0.2)
    ax.text(6.6, -1.45, "element by element, no weights", va="center", fontsize=9)
    ax.set_xlim(-1.7, 13.6), ax.set_ylim(-1.8, 7.1)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig


def _arrow(ax, points, color=HIDDEN_STATE, lw=1.6, head=True, zorder=2):
    """A line through `points`, with an arrow head at the last one unless `head` is False."""
    xs, ys = zip(*points)
    ax.plot(xs, ys, color=color, lw=lw, zorder=zorder, solid_capstyle="round")
    if head:
        style = dict(
            arrowstyle="-|>", color=color, lw=lw, mutation_scale=14, shrinkA=0, shrinkB=0
        )
        ax.annotate("", xy=points[-1], xytext=points[-2], arrowprops=style, zorder=zorder)


def _layer(ax, x, y, symbol, name, width=1.3, height=0.95):
    """A yellow block of the cell diagram: a layer with weights, and its name."""
    corner = (x - width / 2, y - height / 2)
    box = "round,pad=0.02,rounding_size=0.15"
    ax.add_patch(patches.FancyBboxPatch(corner, width, height, boxstyle=box, zorder=4, **LAYER))
    ax.text(x, y + 0.13, symbol, ha="center", va="center", fontsize=14, zorder=5)
    ax.text(
        x, y - 0.27, name, ha="center", va="center", fontsize=8.5, color="#5a4300", zorder=5
    )


def _pointwise(ax, x, y, symbol, radius=0.3):
    """A pink circle of the cell diagram: an operation applied element by element."""
    ax.add_patch(patches.Circle((x, y), radius, lw=1.3, zorder=4, **POINTWISE))
    ax.text(
        x, y, symbol, ha="center", va="center", fontsize=13 if len(symbol) == 1 else 9, zorder=5
    )


def training_curves(history):
    """Loss and accuracy: per step (thin), per epoch (dots), held out (dashed) if recorded."""
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


def held_out_dots(ax, scores):
    """`{name: [accuracy, ...]}` on `ax`: a row per name, a dot per run, a bar at the mean.

    The dots show the spread between seeds, which a mean alone hides.
    """
    for i, values in enumerate(scores.values()):
        ax.scatter(values, [i] * len(values), color=f"C{i}", s=30, alpha=0.7)
        ax.plot([np.mean(values)] * 2, [i - 0.25, i + 0.25], color=f"C{i}", lw=2)
    ax.set_yticks(range(len(scores)), list(scores))
    ax.invert_yaxis()
    ax.set_xlabel("held-out accuracy (dots: runs; bar: mean)")
    ax.grid(alpha=0.3)


def runs_and_scores(results, title):
    """Training loss per step, a line per run, coloured by recipe (left), and the held-out
    accuracy of each run (right): `results` is `{name: [rnnlib.recipes.Result, ...]}`."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6), width_ratios=(1.6, 1))
    for i, (name, runs) in enumerate(results.items()):
        for run in runs:
            steps = run.history.steps
            left.plot(steps["samples"], steps["loss"], color=f"C{i}", lw=0.8, alpha=0.7)
        left.plot([], [], color=f"C{i}", label=name)
    left.set_xlabel("training examples seen")
    left.set_ylabel("training loss (per step)")
    left.set_ylim(0, 3)
    left.grid(alpha=0.3)
    left.legend(fontsize=8)
    held_out_dots(right, held_out_scores(results))
    fig.suptitle(title)
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


LSTM_PANELS = {
    "input": "input gate $i_t$",
    "forget": "forget gate $f_t$",
    "candidate": "candidate $g_t$",
    "output": "output gate $o_t$",
    "cell": "cell state $c_t$",
    "hidden": "hidden state $h_t$",
}
"""What `gate_activity` shows of an LSTM's trace, in order, with the titles it gives them."""


def gate_activity(trace, example=0, units=32):
    """The three gates, the candidate and both states of one example, over the time steps."""
    fig, axes = plt.subplots(2, 3, figsize=(11, 6), sharex=True, sharey=True)
    for ax, (name, title) in zip(axes.flat, LSTM_PANELS.items()):
        values = np.asarray(trace[name][example, :, :units]).T
        gate = name in ("input", "forget", "output")  # a sigmoid: between 0 and 1
        limit = 1 if gate else max(np.abs(values).max(), 1e-6)
        image = ax.imshow(
            values,
            aspect="auto",
            cmap="viridis" if gate else "RdBu_r",
            vmin=0 if gate else -limit,
            vmax=limit,
        )
        ax.set_title(title)
        fig.colorbar(image, ax=ax, fraction=0.046)
    n_steps = np.asarray(trace["hidden"]).shape[1]
    axes[0, 0].set_xticks(range(0, n_steps, 3), range(1, n_steps + 1, 3))  # steps count from 1
    for ax in axes[1]:
        ax.set_xlabel("time step t (row)")
    for ax in axes[:, 0]:
        ax.set_ylabel(f"unit (first {units})")
    fig.tight_layout()
    return fig
