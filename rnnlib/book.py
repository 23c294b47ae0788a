"""Glue between the notebooks and the published book.

`glue` records a computed value so that the prose can quote it ({glue:text}`name`) instead of a
number typed by hand. It uses myst-nb when installed (building the book); on Colab or a plain
Jupyter, where myst-nb is absent, it does nothing, since nothing quotes the value there.
"""
import numpy as np


def glue(name, value, display=False):
    """Record `value` under `name` for the book's prose.

    NumPy scalars become Python numbers first, so that format specs such as `:.3f` work in the text.
    Returns nothing, so that a cell ending in `glue(...)` shows no stray output.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return
    myst_glue(name, value.item() if isinstance(value, np.generic) else value, display=display)
