"""Read only the book: the files of `_toc.yml`, whatever else lies in the folder.

The book's folder is also a project folder: a virtual environment (`.venv/`, `venv/`), build
output, checkpoints and logs live beside the chapters. jupyter-book's `only_build_toc_files`
misses some of them (its file search skips hidden folders such as `.venv/`, so their Markdown
files are read as pages), and Sphinx walks into every folder it does not exclude. This extension
tells Sphinx to read exactly the documents the table of contents lists, and not to walk into any
top-level folder that holds none of them.
"""

from pathlib import Path, PurePosixPath


def toc_patterns(srcdir, docnames, suffixes):
    """(include_patterns, excluded top-level folders) for the given toc documents."""
    include = sorted(f"{name}{suffix}" for name in docnames for suffix in suffixes)
    needed = {
        PurePosixPath(name).parts[0] for name in docnames if len(PurePosixPath(name).parts) > 1
    }
    folders = sorted(
        p.name for p in Path(srcdir).iterdir() if p.is_dir() and p.name not in needed
    )
    return include, folders


def _read_only_the_toc(app, config):
    docnames = [name for name in config.external_site_map]  # set by sphinx-external-toc
    include, folders = toc_patterns(app.srcdir, docnames, list(config.source_suffix))
    config.include_patterns = include
    config.exclude_patterns = list(config.exclude_patterns) + folders


def setup(app):
    # After sphinx-external-toc has read _toc.yml (it runs at priority 900).
    app.connect("config-inited", _read_only_the_toc, priority=950)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
