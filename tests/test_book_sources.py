"""The book reads only the pages of its table of contents, whatever else lies in the folder
(a virtual environment, build output, checkpoints): `_ext/toc_only.py`, checked with Sphinx's
own file matcher on a folder laid out like a newcomer's clone."""

import sys
from pathlib import Path

import pytest
import yaml
from sphinx.util.matching import get_matching_files

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "_ext"))
from toc_only import toc_patterns  # noqa: E402


def touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# a page\n")


def test_only_the_toc_pages_are_sources(tmp_path):
    pages = ["chapters/intro", "chapters/part1/01_an_example"]
    for name in pages:
        touch(tmp_path / f"{name}.md")
        touch(tmp_path / f"{name}.ipynb")
    strays = [
        ".venv/lib/python3.11/site-packages/jupyter_book/book_template/intro.md",
        "venv/share/doc/LICENSE.rst",
        "env/README.md",
        "build/lib/notes.md",
        "chapters/part1/checkpoints/notes.md",
        "chapters/draft.md",
        "README.md",
    ]
    for stray in strays:
        touch(tmp_path / stray)
    include, folders = toc_patterns(tmp_path, pages, [".md", ".ipynb", ".rst"])
    found = set(get_matching_files(tmp_path, include, ["**/*.ipynb", *folders]))
    assert found == {f"{name}.md" for name in pages}
    assert {".venv", "venv", "env", "build"} <= set(folders) and "chapters" not in folders


def test_the_book_configuration_loads_the_extension():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["sphinx"]["local_extensions"]["toc_only"] == "_ext"


@pytest.mark.site
def test_the_built_site_holds_the_toc_pages_and_nothing_else():
    site = ROOT / "_build" / "html"
    if not (site / "index.html").exists():
        pytest.fail(f"no built site in {site}: run `make book` first")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    sphinx_pages = {"index.html", "search.html", "genindex.html"}
    expected = {f"{page}.html" for page in pages} | sphinx_pages
    built = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).parts[0].startswith("_")
    }
    assert built == expected, f"pages not in the toc: {sorted(built - expected)}"
