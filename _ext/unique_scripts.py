"""Drop repeated inline <script> tags from the book's pages.

With Sphinx 7.4, inline scripts that extensions add after the builder starts (sphinx-thebe's
`const THEBE_JS_URL = ...`, sphinx-togglebutton's selector) are written into every page twice.
The second `const` declaration is a SyntaxError in the reader's browser console, which
tests/site/test_site.py rightly reports. Keeping the first of identical scripts fixes it.
"""


def _unique_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The copies differ only in filename None versus "": compare what the page shows.
        key = (
            getattr(script, "filename", script) or "",
            tuple(sorted(getattr(script, "attributes", {}).items())),
        )
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
