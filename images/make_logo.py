"""Draw the book's logo and favicon: an RNN cell unrolled over three time steps.

Run from the repository root: `python images/make_logo.py`. It rewrites images/logo.png
(sidebar) and images/favicon.png (browser tab); both are committed, so the book builds
without running this script.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from PIL import Image

HERE = Path(__file__).resolve().parent
CELL, STATE, INPUT = "#f57c00", "#455a64", "#1e88e5"  # TensorFlow orange, slate, blue


def arrow(ax, start, end, color, width):
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=8 * width,
            linewidth=width,
            color=color,
            shrinkA=0,
            shrinkB=0,
        )
    )


def cell(ax, x, y, size):
    ax.add_patch(
        FancyBboxPatch(
            (x - size / 2, y - size / 2),
            size,
            size,
            boxstyle=f"round,pad=0,rounding_size={size / 5}",
            facecolor=CELL,
            edgecolor="none",
        )
    )


def logo(path):
    """Three cells side by side: inputs rise into them, the state flows left to right."""
    fig = plt.figure(figsize=(4, 2), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set(xlim=(0, 4), ylim=(0, 2))
    ax.axis("off")
    xs = [0.85, 2.0, 3.15]
    for x in xs:
        cell(ax, x, 1.05, 0.62)
        arrow(ax, (x, 0.1), (x, 0.72), INPUT, 2.5)  # x_t into the cell
        arrow(ax, (x, 1.38), (x, 1.95), STATE, 2.5)  # h_t out of it
    for left, right in zip(xs, xs[1:]):
        arrow(ax, (left + 0.31, 1.05), (right - 0.31, 1.05), STATE, 3)
    arrow(ax, (0.02, 1.05), (xs[0] - 0.31, 1.05), STATE, 3)
    arrow(ax, (xs[-1] + 0.31, 1.05), (3.98, 1.05), STATE, 3)
    fig.savefig(path, transparent=True)
    plt.close(fig)


def favicon(path):
    """One cell with the recurrence sign inside: still readable at 16 pixels."""
    fig = plt.figure(figsize=(1, 1), dpi=64)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.axis("off")
    cell(ax, 0.5, 0.5, 0.96)
    ax.text(
        0.5,
        0.47,
        "\u21bb",
        color="white",
        fontsize=44,
        fontweight="bold",
        ha="center",
        va="center",
    )
    fig.savefig(path, transparent=True)
    plt.close(fig)


if __name__ == "__main__":
    logo(HERE / "logo.png")
    favicon(HERE / "favicon.png")
    # Also at the site's root: browsers ask for /favicon.ico on pages that name no icon, such as
    # the index.html that redirects to the first chapter (html_extra_path copies it there).
    Image.open(HERE / "favicon.png").save(HERE / "favicon.ico", sizes=[(16, 16), (32, 32)])
