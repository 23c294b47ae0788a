"""The chapters as files: paired, listed in the table of contents, and ready for Colab.

A chapter is a notebook: a MyST file with a kernel in its front matter. Other pages (the
reference page) are plain MyST, listed in the table of contents like the chapters.
"""

from pathlib import Path

import jupytext
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(
    p for p in (ROOT / "chapters").rglob("*.md") if ".ipynb_checkpoints" not in p.parts
)
CHAPTERS = [p for p in PAGES if "kernelspec:" in p.read_text().split("\n---", 1)[0]]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def cells(notebook):
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_there_are_chapters():
    assert len(CHAPTERS) >= 2


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_ipynb_is_in_sync_and_output_free(md):
    ipynb = md.with_suffix(".ipynb")
    fix = f"run `jupytext --sync {md.name}` (or commit with pre-commit)"
    assert ipynb.exists(), f"{ipynb.name} is missing: {fix}"
    paired, text = jupytext.read(ipynb), jupytext.read(md)
    assert cells(paired) == cells(text), f"{ipynb.name} differs from {md.name}: {fix}"
    for cell in paired.cells:
        assert not cell.get("outputs") and cell.get("execution_count") is None, (
            f"{ipynb.name} has outputs: commit notebooks output-free"
        )


def test_toc_lists_every_page_and_nothing_else():
    listed = {ROOT / f"{name}.md" for name in toc_files()}
    assert listed == set(PAGES)


def test_pages_that_are_not_notebooks_have_no_stray_notebook():
    for page in set(PAGES) - set(CHAPTERS):
        assert not page.with_suffix(".ipynb").exists(), f"{page.name} is not a notebook"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_first_code_cell_installs_rnnlib_on_colab_only(md):
    first = next(c for c in jupytext.read(md).cells if c.cell_type == "code")
    repository = f"git+{CONFIG['repository']['url']}@{CONFIG['repository']['branch']}"
    assert '"google.colab" in sys.modules' in first.source
    assert repository in first.source, f"the Colab cell must install {repository}"
    assert "remove-cell" in first.metadata.get("tags", [])
