"""Glue between the notebooks and the published book.

`glue` records a computed value so that the prose can quote it ({glue:text}`name`) instead of a
number typed by hand. It uses myst-nb when installed (building the book); on Colab or a plain
Jupyter, where myst-nb is absent, the value is only returned, since nothing quotes it there.
"""


def glue(name, value, display=False):
    """Record `value` under `name` for the book's prose, and return it."""
    try:
        from myst_nb import glue as myst_glue
    except ImportError:
        return value
    myst_glue(name, value, display=display)
    return value
