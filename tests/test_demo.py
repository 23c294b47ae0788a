"""rnnlib.demo: the export and golden file behind the in-browser demo, the Python twin of its
preprocessing, and the JavaScript tests' fixture, which must be what the code makes today."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from rnnlib import demo
from rnnlib.model import build_model

FIXTURES = Path(__file__).resolve().parent.parent / "demo" / "test" / "fixtures"


def close(a, b, tolerance):
    return (
        np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)).max()
        <= tolerance
    )


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fixture")
    demo.write_fixture(folder)
    return folder


def test_committed_fixture_is_what_the_code_makes(regenerated):
    """`python -m rnnlib.demo fixture demo/test/fixtures` rewrites it: equal, up to rounding."""
    assert (regenerated / "model.bin").read_bytes() == (FIXTURES / "model.bin").read_bytes()
    new, old = (json.loads((f / "model.json").read_text()) for f in (regenerated, FIXTURES))
    probabilities = [s.pop("keras_probabilities") for s in new["samples"]]
    assert close(probabilities, [s.pop("keras_probabilities") for s in old["samples"]], 1e-6)
    assert new == old
    new, old = (json.loads((f / "golden.json").read_text()) for f in (regenerated, FIXTURES))
    assert len(new["digits"]) == len(old["digits"])
    for a, b in zip(new["digits"], old["digits"]):
        assert (a["label"], a["pixels"], a["prediction"]) == (
            b["label"],
            b["pixels"],
            b["prediction"],
        )
        for name in b["rows"]:
            assert close(a["rows"][name], b["rows"][name], 1e-6), name
    new, old = (
        json.loads((f / "preprocessed.json").read_text()) for f in (regenerated, FIXTURES)
    )
    images = [d.pop("image") for d in new["digits"]]
    assert close(images, [d.pop("image") for d in old["digits"]], 1e-9)
    assert new == old


def test_export_writes_keras_layout(tmp_path, mnist_5k):
    model = demo.fixture_model(units=4)
    manifest = demo.export(
        model, tmp_path, mnist_5k.x_test[:2], mnist_5k.y_test[:2], info={"a": 1}
    )
    weights = np.frombuffer((tmp_path / "model.bin").read_bytes(), dtype="<f4")
    for (name, entry), value in zip(manifest["tensors"].items(), model.get_weights()):
        n = value.size
        assert entry["shape"] == list(value.shape), name
        assert np.array_equal(
            weights[entry["offset"] // 4 : entry["offset"] // 4 + n], value.ravel()
        )
    assert manifest["tensors"]["kernel"]["shape"] == [28, 16]  # 4 gates x 4 units
    assert manifest["info"] == {"a": 1} and len(manifest["samples"]) == 2
    sample = manifest["samples"][0]
    assert np.array_equal(demo.from_bytes(sample["pixels"]).reshape(28, 28), mnist_5k.x_test[0])
    assert json.loads((tmp_path / "model.json").read_text()) == manifest


def test_trace_follows_the_lstm_equations(mnist_5k):
    model = demo.fixture_model(units=4)
    record = demo.trace(model, mnist_5k.x_test[:2])
    kernel, recurrent, bias = model.layers[0].get_weights()
    h, c = np.zeros(4), np.zeros(4)
    sigmoid = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    for t in range(28):
        z = mnist_5k.x_test[0, t] @ kernel + h @ recurrent + bias
        i, f, g, o = sigmoid(z[:4]), sigmoid(z[4:8]), np.tanh(z[8:12]), sigmoid(z[12:])
        c = f * c + i * g
        h = o * np.tanh(c)
        for name, value in zip("ifgoch", (i, f, g, o, c, h)):
            assert close(record[name][0, t], value, 1e-5), (name, t)
    assert record["probabilities"].shape == (2, 28, 10)
    assert close(record["probabilities"].sum(axis=2), 1, 1e-5)


def test_export_refuses_a_network_the_page_cannot_run(tmp_path):
    with pytest.raises(
        ValueError, match=r"one keras LSTM layer followed by one Dense layer.*GRU"
    ):
        demo.export(build_model("gru", n_hidden=4), tmp_path)
    with pytest.raises(ValueError, match="one keras LSTM layer"):
        demo.export(build_model("lstm", n_hidden=4, n_layers=2), tmp_path)


def test_images_must_be_grey_levels_of_255():
    with pytest.raises(ValueError, match="not k/255"):
        demo.as_bytes(np.full((1, 28, 28), 0.5))


def test_javascript_matches_keras_on_the_fixture_model(mnist_5k, tmp_path):
    """The bridge to Node.js (what the demo chapter uses) on a small model."""
    model = demo.fixture_model()
    demo.export(model, tmp_path)
    images = mnist_5k.x_test[:20]
    javascript = demo.javascript_forward(tmp_path, images, traces=2)
    assert close(javascript["probabilities"], demo.keras_probabilities(model, images), 1e-5)
    record = demo.trace(model, images[:2])
    for name, value in javascript["traces"].items():
        assert close(value, record[name], 1e-5), name
    assert javascript["ms_per_pass"] > 0


# ---- preprocessing ----


def test_a_drawing_becomes_an_mnist_like_digit():
    for digit in demo.drawn_digits():
        image = demo.preprocess(demo.rasterize(digit["strokes"]))
        rows, columns = np.flatnonzero(image.max(axis=1)), np.flatnonzero(image.max(axis=0))
        assert max(rows[-1] - rows[0], columns[-1] - columns[0]) + 1 == demo.BOX
        assert image.max() == 1 and image.min() == 0
        centre = [(image.sum(axis=a) * np.arange(28)).sum() / image.sum() for a in (1, 0)]
        assert close(centre, demo.CENTRE, 0.5)


def test_preprocessing_keeps_the_aspect_ratio():
    ink = np.zeros((280, 280))
    ink[40:240, 130:150] = 1  # a bar 200 high and 20 wide
    image = demo.preprocess(ink)
    rows, columns = np.flatnonzero(image.max(axis=1)), np.flatnonzero(image.max(axis=0))
    assert (len(rows), len(columns)) == (20, 2)


def test_preprocessing_does_not_care_where_or_how_large():
    strokes = demo.drawn_digits()[7]["strokes"]
    moved = [[(0.5 * x + 120, 0.5 * y + 10) for x, y in s] for s in strokes]
    a, b = demo.read_drawing(strokes), demo.read_drawing(moved)
    assert np.minimum(a, b).sum() / a.sum() > 0.6


def test_blank_ink_gives_a_blank_image():
    assert not demo.preprocess(np.zeros((280, 280))).any()
    assert not demo.rasterize([[]]).any()


def test_the_pen_is_round_and_as_wide_as_said():
    ink = demo.rasterize([[(100, 100)]])
    assert (
        abs((ink > 0.5).sum() - math.pi * (demo.PEN / 2) ** 2)
        < 0.05 * math.pi * (demo.PEN / 2) ** 2
    )
    line = demo.rasterize([[(50, 100), (200, 100)]])
    assert (line[:, 125] > 0.5).sum() == demo.PEN


def test_area_weights_average():
    weights = demo.area_weights(10, 4)
    assert close(weights.sum(axis=1), 1, 1e-12)  # each new pixel is a mean
    assert close(weights.sum(axis=0), 0.4, 1e-12)  # each old pixel counts the same


def test_usage_message():
    with pytest.raises(SystemExit, match="usage: python -m rnnlib.demo fixture FOLDER"):
        demo.main([])
