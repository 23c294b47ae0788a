"""Execute each chapter once: nbval runs it as a test, and the book is built from that run.

A pytest plugin (loaded through `pyproject.toml`). While nbval executes a chapter's cells, it
keeps each cell's outputs; when every cell of a chapter passed, the executed notebook goes into
the Jupyter cache that the book build reads (`execute_notebooks: cache` in `_config.yml`), so
`make book` after `make test` renders those outputs instead of running every chapter again.

The cache is keyed by the code of the cells only, so it could serve outputs computed by an older
`rnnlib` or on another data set. A stamp guards it: a hash of everything outside the chapters
that their outputs depend on (the library, the demo's JavaScript, the requirements, the data set
name). `python tests/executed_notebooks.py` (run by `make book`) empties a cache whose stamp is
not the current one, so the build then executes every chapter itself.

At the end of a run the plugin prints how long each chapter took (kernel start included).
"""

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
from IPython.core.displayhook import DisplayHook

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"  # where jupyter-book's cache lives by default
STAMP = CACHE / "rnnlib-stamp.json"
TIMES = ROOT / "_build" / "notebook-times.json"
BUDGET_SECONDS = 60  # each chapter, on the offline data, on 2 cores
INPUTS = [
    "rnnlib/**/*.py",
    "demo/**/*.js",
    "demo/**/*.mjs",
    "requirements*.txt",
    "pyproject.toml",
]


def stamp():
    """A hash of what the chapters' outputs depend on besides their own code."""
    digest = hashlib.sha256(os.environ.get("RNNLIB_DATASET", "mnist").encode())
    files = sorted({p for pattern in INPUTS for p in ROOT.glob(pattern) if p.is_file()})
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def clear_if_stale():
    """Empty the cache unless its stamp is the current one; say what happened."""
    if not CACHE.exists():
        return "no executed chapters cached: the book build executes every chapter"
    current = json.loads(STAMP.read_text())["stamp"] if STAMP.exists() else None
    if current == stamp():
        return "chapters executed by the tests are cached: the book build reuses them"
    shutil.rmtree(CACHE)
    return "cached chapters are stale (library, data set or requirements changed): cleared"


class ExecutedNotebooks:
    """Collects nbval's outputs per notebook, then caches the notebooks that fully passed."""

    def __init__(self):
        self.outputs, self.failed, self.seconds = {}, set(), {}

    def pytest_runtest_logreport(self, report):
        path = report.nodeid.split("::")[0]
        if not path.endswith(".ipynb"):
            return
        self.seconds[path] = self.seconds.get(path, 0.0) + report.duration
        if report.failed or report.skipped:
            self.failed.add(path)

    def pytest_runtest_teardown(self, item):
        outputs = getattr(item, "test_outputs", None)  # set by nbval when a cell ran
        if outputs is not None:
            path = item.nodeid.split("::")[0]
            self.outputs.setdefault(path, {})[item.cell_num] = outputs

    def pytest_sessionfinish(self, session):
        passed = [p for p in self.outputs if p not in self.failed]
        if passed:
            from jupyter_cache import get_cache
            from jupyter_cache.base import CacheBundleIn

            current = stamp()
            if not STAMP.exists() or json.loads(STAMP.read_text())["stamp"] != current:
                shutil.rmtree(CACHE, ignore_errors=True)  # never mix outputs of two stamps
            cache = get_cache(str(CACHE))
            for path in passed:
                notebook = executed(ROOT / path, self.outputs[path])
                if notebook is not None:
                    cache.cache_notebook_bundle(
                        CacheBundleIn(
                            notebook,
                            str(ROOT / path).replace(".ipynb", ".md"),
                            data={"execution_seconds": self.seconds[path]},
                        ),
                        check_validity=False,
                        overwrite=True,
                    )
            STAMP.write_text(json.dumps({"stamp": current}))
        if self.seconds:
            TIMES.parent.mkdir(exist_ok=True)
            TIMES.write_text(json.dumps(self.seconds, indent=1))

    def pytest_terminal_summary(self, terminalreporter):
        if not self.seconds:
            return
        write = terminalreporter.write_line
        budget = f"nbval, kernel start included; budget {BUDGET_SECONDS} s"
        write(f"\nseconds per chapter ({budget}):")
        for path, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            flag = "  OVER BUDGET" if seconds > BUDGET_SECONDS else ""
            write(f"  {seconds:6.1f}  {path}{flag}")
        over = sum(s > BUDGET_SECONDS for s in self.seconds.values())
        write(f"  {over} of {len(self.seconds)} chapters over {BUDGET_SECONDS} s")


def executed(path, outputs_by_cell):
    """The notebook at `path` with nbval's outputs in its code cells; None if any is missing."""
    notebook = nbformat.read(path, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    if set(outputs_by_cell) != set(range(len(code_cells))):  # nbval numbers the code cells
        return None
    for index, cell in enumerate(code_cells):
        cell.execution_count = index + 1
        outputs = outputs_by_cell[index]
        # nbval runs cells with store_history=False, so IPython's rule "a trailing ';' hides the
        # cell's result" looks at no cell at all: apply the rule here, as a normal run would.
        if DisplayHook.semicolon_at_end_of_expression(cell.source):
            outputs = [out for out in outputs if out.output_type != "execute_result"]
        cell.outputs = [as_output(out, index + 1) for out in outputs]
    return notebook


def as_output(out, count):
    """An nbval output (a NotebookNode built from a kernel message) as a notebook output."""
    if out.output_type == "stream":
        return nbformat.v4.new_output("stream", name=out.name, text=out.text)
    if out.output_type == "execute_result":
        return nbformat.v4.new_output(
            "execute_result", data=out.data, metadata=out.metadata, execution_count=count
        )
    return nbformat.v4.new_output("display_data", data=out.data, metadata=out.metadata)


def pytest_configure(config):
    if config.getoption("nbval_lax", False) or config.getoption("nbval", False):
        config.pluginmanager.register(ExecutedNotebooks(), "executed-notebooks")


if __name__ == "__main__":
    print(clear_if_stale())
    sys.exit(0)
