"""`rnnlib.book`: glue hands the book plain numbers, and show_source cuts library code at
markers that must exist exactly once."""

import numpy as np
import pytest

from rnnlib import book


def sample(x):
    """A function to cut."""
    y = x + 1  # first
    z = y * 2  # second
    return z  # third


def test_show_source_prints_from_the_start_marker_to_the_end_marker(capsys):
    book.show_source(sample, "# first", "# second")
    assert capsys.readouterr().out.splitlines() == [
        "y = x + 1  # first",
        "z = y * 2  # second",
    ]


def test_show_source_without_markers_prints_everything(capsys):
    book.show_source(sample)
    out = capsys.readouterr().out
    assert out.startswith("def sample(x):") and "return z" in out


@pytest.mark.parametrize(
    "start, end, message",
    [
        ("# gone", None, r"'# gone' occurs 0 times"),
        (None, "z = y", None),
        (None, " z", r"' z' occurs 2 times"),
        ("# third", "# first", "comes before"),
    ],
)
def test_show_source_fails_loudly_when_a_marker_does_not_fit(start, end, message, capsys):
    if message is None:  # the control: this cut is fine
        book.show_source(sample, start, end)
        assert capsys.readouterr().out.splitlines()[-1].strip() == "z = y * 2  # second"
        return
    with pytest.raises(ValueError, match=message):
        book.show_source(sample, start, end)


def test_glue_hands_myst_nb_plain_python_numbers(monkeypatch):
    recorded = {}
    monkeypatch.setattr(
        "myst_nb.glue", lambda name, value, display: recorded.update({name: value})
    )
    book.glue("accuracy", np.float32(0.5))
    book.glue("label", "seven")
    assert type(recorded["accuracy"]) is float and recorded["label"] == "seven"
