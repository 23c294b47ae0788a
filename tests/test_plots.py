"""The shared plots draw what their docstrings say: checked on the artists, not by eye."""

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np

from rnnlib.plots import runs_and_scores
from rnnlib.recipes import Result


def test_runs_and_scores_draws_a_loss_line_per_run_and_a_dot_per_run():
    history = SimpleNamespace(steps={"samples": [1, 2, 3], "loss": [2.0, 1.0, 0.5]})
    results = {
        name: [Result(None, history, score, None, 1.0) for score in (0.9, 0.8)]
        for name in ("a", "b")
    }
    fig = runs_and_scores(results, "title")
    left, right = fig.axes
    assert len(left.lines) == 4 + 2  # a line per run, plus a legend entry per recipe
    assert [tick.get_text() for tick in right.get_yticklabels()] == ["a", "b"]
    dots = np.concatenate([c.get_offsets() for c in right.collections])
    assert sorted(dots[:, 0]) == [0.8, 0.8, 0.9, 0.9]
    plt.close(fig)
