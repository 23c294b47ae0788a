"""The reference page documents every public function and class of rnnlib, and links each one
that a chapter uses to the chapter that introduces it: the first, in reading order, whose code
uses it (found from the chapters' imports, not typed by hand)."""

import ast
import functools
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import jupytext
import pytest
import yaml

import rnnlib

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "chapters" / "reference" / "rnnlib.md"
DIRECTIVE = re.compile(
    r"```\{autodoc2-object\} (\S+)\n```\n+(.*?)(?=```\{autodoc2-object\}|\Z)", re.S
)
INTRODUCED = re.compile(r"Introduced in \{doc\}`([^`]+)`")


def public_objects():
    """module.name of every function and class that rnnlib's modules define and do not hide."""
    names = []
    for info in pkgutil.iter_modules(rnnlib.__path__):
        module = importlib.import_module(f"rnnlib.{info.name}")
        for name, obj in vars(module).items():
            if (
                not name.startswith("_")
                and (inspect.isfunction(obj) or inspect.isclass(obj))
                and obj.__module__ == module.__name__
            ):
                names.append(f"{module.__name__}.{name}")
    return sorted(names)


def rnnlib_names(code):
    """The rnnlib objects a chapter's code imports or reaches through an imported module."""
    tree, found, modules = ast.parse(code), set(), {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rnnlib"):
            for alias in node.names:
                if node.module == "rnnlib":  # from rnnlib import plots
                    modules[alias.asname or alias.name] = f"rnnlib.{alias.name}"
                else:  # from rnnlib.data import Dataset
                    found.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:  # import rnnlib.train
                if alias.name.startswith("rnnlib."):
                    modules[alias.asname or alias.name] = alias.name
    for node in ast.walk(tree):  # plots.image_grid, rnnlib.train.train
        if isinstance(node, ast.Attribute):
            dotted = ast.unparse(node)
            for alias, module in modules.items():
                if dotted.startswith(alias + "."):
                    found.add(module + dotted[len(alias) :])
    return found


@functools.cache
def introducing_chapters():
    """{module.name: the first chapter, in the toc's order, whose code uses it}."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    docs = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    first = {}
    for doc in docs:
        path = ROOT / f"{doc}.md"
        if "kernelspec:" not in path.read_text():
            continue  # not a notebook
        cells = jupytext.read(path).cells
        code = "\n".join(c.source for c in cells if c.cell_type == "code")
        for name in rnnlib_names(code):
            first.setdefault(name, Path(doc).relative_to("chapters").as_posix())
    return first


@functools.cache
def documented():
    """{module.name: the text between its directive and the next one} on the reference page."""
    return dict(DIRECTIVE.findall(PAGE.read_text()))


def test_every_public_object_is_on_the_reference_page():
    missing = sorted(set(public_objects()) - set(documented()))
    assert not missing, f"add these to {PAGE.relative_to(ROOT)}: {missing}"


def test_the_page_documents_nothing_that_is_gone():
    gone = sorted(set(documented()) - set(public_objects()))
    assert not gone, f"no longer in rnnlib: {gone}"


@pytest.mark.parametrize("name", public_objects())
def test_each_object_links_to_the_chapter_that_introduces_it(name):
    text = documented().get(name)
    if text is None:
        pytest.skip("not on the page: the first test says so")
    links = [link.removeprefix("../") for link in INTRODUCED.findall(text)]
    chapter = introducing_chapters().get(name)
    if chapter is None:
        assert not links, f"{name}: no chapter's code uses it, yet the page links {links}"
    else:
        assert links == [chapter], f"{name}: say 'Introduced in {{doc}}`../{chapter}`.'"
