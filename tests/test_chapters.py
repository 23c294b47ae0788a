"""The chapters as files: paired, listed in the table of contents, and ready for Colab."""
from pathlib import Path

import jupytext
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").rglob("*.md"))
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
    assert ipynb.exists(), f"{ipynb.name} is missing: run `make sync`"
    paired, text = jupytext.read(ipynb), jupytext.read(md)
    assert cells(paired) == cells(text), f"{ipynb.name} differs from {md.name}: run `make sync`"
    for cell in paired.cells:
        assert not cell.get("outputs") and cell.get("execution_count") is None, \
            f"{ipynb.name} has outputs: commit notebooks output-free"


def test_toc_lists_every_chapter_and_nothing_else():
    listed = {ROOT / f"{name}.md" for name in toc_files()}
    assert listed == set(CHAPTERS)


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_first_code_cell_installs_rnnlib_on_colab_only(md):
    first = next(c for c in jupytext.read(md).cells if c.cell_type == "code")
    repository = f"git+{CONFIG['repository']['url']}@{CONFIG['repository']['branch']}"
    assert '"google.colab" in sys.modules' in first.source
    assert repository in first.source, f"the Colab cell must install {repository}"
    assert "remove-cell" in first.metadata.get("tags", [])
