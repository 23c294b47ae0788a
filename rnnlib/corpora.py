"""The text and the time series of Part IV, read from files that packages install: no download.

- `load_jargon_file()`: the lexicon of the Jargon File 4.4.7, the hackers' dictionary, from
  Debian's package `jargon-text` (public domain). Part IV's character-level language model
  learns to write it.
- `load_co2()`: the weekly CO2 concentration at Mauna Loa, 1958-2001, in ppm, from the pip
  package `statsmodels` (public domain data). Part IV's forecaster predicts it.
- `packaged_file()`: the path of a file that a Debian package installs, or an error that names
  the package and the command that installs it. A missing file is never replaced by other data.
"""

import gzip
import re
from pathlib import Path

JARGON_PACKAGE = "jargon-text"
JARGON_PATH = Path("/usr/share/doc/jargon-text/jargon.txt.gz")
# Typography the lexicon uses, written in plain ASCII.
TO_ASCII = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "´": "'",
        "—": "--",
        "\xa0": " ",
        "·": "-",
        "™": "(TM)",
    }
)


class MissingPackageError(RuntimeError):
    """A package that ships the data is not installed."""


def packaged_file(path, package):
    """`path` if it exists, else an error naming the Debian `package` that installs it."""
    path = Path(path)
    if not path.is_file():
        raise MissingPackageError(
            f"{path} is missing: it comes with Debian's package {package}. Install it with "
            f"`sudo apt-get install {package}`, or run `make install` in the book's "
            "repository, which installs every package the book needs."
        )
    return path


def load_jargon_file(path=JARGON_PATH):
    """The lexicon of the Jargon File (":entry: /pronunciation/, n. definition..."), in ASCII.

    Curly quotes and dashes become ASCII, and every line loses the file's three-space indent.
    Lines that still hold other characters (box-drawing tables, a few Greek letters) are
    dropped, so that the text has a small alphabet of printable ASCII characters and newlines.
    """
    with gzip.open(packaged_file(path, JARGON_PACKAGE), "rt", encoding="utf-8") as f:
        text = f.read()
    first_entry = re.search(r"^   :\S", text, flags=re.MULTILINE)
    appendices = re.compile(r"Part\sIII\.\sAppendices")  # the lexicon ends where they begin
    end = first_entry and appendices.search(text, first_entry.start())
    if not end:
        raise ValueError(
            f"{path} does not look like the Jargon File 4.4.7: its lexicon (lines "
            "starting with ':entry:') was not found"
        )
    lines = []
    for line in text[first_entry.start() : end.start()].translate(TO_ASCII).splitlines():
        if all(" " <= c <= "~" for c in line):
            lines.append(line.removeprefix("   ").rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def load_co2():
    """Weekly mean CO2 at Mauna Loa (ppm), 1958-03-29 to 2001-12-29, as a pandas Series.

    As published: 59 weeks have no measurement and are NaN. Filling them is the caller's
    decision (the forecasting chapter interpolates them, and says so).
    """
    try:
        from statsmodels.datasets import co2
    except ImportError as error:
        raise MissingPackageError(
            "the CO2 series comes with the pip package statsmodels, which is not installed. "
            "Install it with `pip install statsmodels` (or `pip install -r requirements.txt`)."
        ) from error
    return co2.load_pandas().data["co2"].rename("CO2 (ppm)")
