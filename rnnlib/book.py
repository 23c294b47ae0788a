"""Glue between the notebooks and the published book.

`glue` records a computed value so that the prose can quote it ({glue:text}`name`) instead of a
number typed by hand. It uses myst-nb when installed (building the book); on Colab or a plain
Jupyter, where myst-nb is absent, it does nothing, since nothing quotes the value there.

`show_source` prints the library code a chapter talks about, cut at markers that must exist, so
that a change in the library cannot silently leave the book showing the wrong lines.
"""

import inspect
import textwrap

import numpy as np


def glue(name, value, display=False):
    """Record `value` under `name` for the book's prose.

    NumPy scalars become Python numbers first, so that format specs such as `:.3f` work in the
    text.
    Returns nothing, so that a cell ending in `glue(...)` shows no stray output.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value.item() if isinstance(value, np.generic) else value, display=display)


def show_source(obj, start=None, end=None):
    """Print the source of `obj` from the line containing `start` to the line containing `end`.

    Without markers, the whole source. A marker that is missing, or that occurs more than once,
    raises a ValueError naming it: the chapter must then be updated along with the library.
    """
    lines = inspect.getsource(obj).splitlines()
    first = 0 if start is None else _line_of(start, lines, obj)
    last = len(lines) - 1 if end is None else _line_of(end, lines, obj)
    if last < first:
        raise ValueError(f"in the source of {obj.__qualname__}, {end!r} comes before {start!r}")
    print(textwrap.dedent("\n".join(lines[first : last + 1])))


def _line_of(marker, lines, obj):
    found = [i for i, line in enumerate(lines) if marker in line]
    if len(found) != 1:
        raise ValueError(
            f"the marker {marker!r} occurs {len(found)} times in the source of "
            f"{obj.__qualname__}, not once: update the chapter that cuts it there"
        )
    return found[0]
