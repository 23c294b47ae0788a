"""The notebooks handed from nbval to the book build show what a normal run would show."""

import nbformat
from executed_notebooks import executed, stamp


def outputs(*results):
    """nbval-like outputs: a printed line, then each given result of the cell."""
    printed = nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": "hi\n"})
    return [printed] + [
        nbformat.from_dict(
            {"output_type": "execute_result", "data": {"text/plain": r}, "metadata": {}}
        )
        for r in results
    ]


def test_a_trailing_semicolon_hides_the_result_as_in_a_normal_run(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# A page"),
        nbformat.v4.new_code_cell('print("hi")\nax.set_title("A title");'),
        nbformat.v4.new_code_cell('print("hi")\ntable.round(3)'),
    ]
    path = tmp_path / "page.ipynb"
    nbformat.write(notebook, path)
    nbval_outputs = {0: outputs("Text(0.5, 1.0, 'A title')"), 1: outputs("a table")}
    cells = [c for c in executed(path, nbval_outputs).cells if c.cell_type == "code"]
    assert [o.output_type for o in cells[0].outputs] == ["stream"]
    assert [o.output_type for o in cells[1].outputs] == ["stream", "execute_result"]
    assert [c.execution_count for c in cells] == [1, 2]


def test_a_notebook_with_a_cell_nbval_did_not_run_is_not_cached(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("1"), nbformat.v4.new_code_cell("2")]
    path = tmp_path / "page.ipynb"
    nbformat.write(notebook, path)
    assert executed(path, {0: outputs()}) is None


def test_the_stamp_depends_on_the_data_set(monkeypatch):
    monkeypatch.setenv("RNNLIB_DATASET", "mnist-5k")
    small = stamp()
    monkeypatch.setenv("RNNLIB_DATASET", "fashion-mnist")
    assert stamp() != small
