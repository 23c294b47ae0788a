"""Guards `rnnlib.model`: the classic network is what the book says it is, every cell kind
builds, and the hand-written `ScratchLSTM` computes exactly what `keras.layers.LSTM` computes
when it holds the same (random, not just initial) weights, in `call()` and in `trace()`.
"""

import keras
import numpy as np
import pytest

from rnnlib.model import CELLS, RandomShift, ScratchGRU, ScratchLSTM, ScratchRNN, build_model

TOLERANCE = 1e-5


def _sigmoid(v):
    return 1 / (1 + np.exp(-v))


def randomize(weights, seed):
    """Random weights of the same shapes, large enough to drive every gate away from 0.5."""
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.5, w.shape).astype(np.float32) for w in weights]


@pytest.fixture(scope="module")
def rows():
    return np.random.default_rng(0).random((5, 28, 28)).astype(np.float32)


def test_default_is_the_classic_network():
    model = build_model()
    lstm, dense = model.layers
    assert isinstance(lstm, keras.layers.LSTM) and lstm.units == 128
    assert isinstance(dense, keras.layers.Dense) and dense.units == 10
    assert dense.activation is keras.activations.linear  # logits, no softmax
    assert model.input_shape == (None, 28, 28) and model.output_shape == (None, 10)
    assert model.count_params() == 4 * (128 * (28 + 128) + 128) + 128 * 10 + 10


@pytest.mark.parametrize("cell", CELLS)
def test_every_cell_builds_a_logits_model(cell, rows):
    model = build_model(cell, n_hidden=8, n_classes=3)
    assert model.output_shape == (None, 3)
    assert np.asarray(model(rows)).shape == (5, 3)


def test_options_stack_layers_and_reach_each_layer():
    model = build_model("gru", n_hidden=8, n_layers=2, bidirectional=True, dropout=0.1)
    recurrent = [
        layer for layer in model.layers if isinstance(layer, keras.layers.Bidirectional)
    ]
    assert len(recurrent) == 2 and recurrent[0].forward_layer.dropout == 0.1
    assert model.output_shape == (None, 10)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"cell": "transformer"}, "lstm, gru, simple, scratch"),
        ({"n_hidden": 0}, "n_hidden must be a positive integer"),
        ({"n_classes": 2.5}, "n_classes must be a positive integer"),
        ({"cell": "scratch", "bidirectional": True}, "unidirectional"),
    ],
)
def test_bad_options_are_rejected(options, message):
    with pytest.raises(ValueError, match=message):
        build_model(**options)


PAIRS = {
    "lstm": (ScratchLSTM, keras.layers.LSTM, ("sequence", "final h", "final c")),
    "gru": (ScratchGRU, keras.layers.GRU, ("sequence", "final h")),
    "simple": (ScratchRNN, keras.layers.SimpleRNN, ("sequence", "final h")),
}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("kind", PAIRS)
def test_scratch_cell_equals_keras_with_the_same_random_weights(kind, seed, rows):
    scratch_class, keras_class, names = PAIRS[kind]
    keras_layer = keras_class(16, return_sequences=True, return_state=True)
    keras_layer.build(rows.shape)
    keras_layer.set_weights(randomize(keras_layer.get_weights(), seed))
    scratch = scratch_class(16, return_sequences=True, return_state=True)
    scratch.build(rows.shape)
    scratch.set_weights(keras_layer.get_weights())
    expected = [np.asarray(t) for t in keras_layer(rows)]
    got = [np.asarray(t) for t in scratch(rows)]
    assert len(expected) == len(got) == len(names)
    for name, e, g in zip(names, expected, got):
        assert e.shape == g.shape, name
        np.testing.assert_allclose(g, e, atol=TOLERANCE, err_msg=name)
    assert np.abs(expected[-1]).max() > 0.5  # the random weights did drive the cell


@pytest.mark.parametrize("kind", PAIRS)
def test_scratch_cell_starts_like_keras(kind):
    scratch_class, keras_class, _ = PAIRS[kind]
    scratch, keras_layer = scratch_class(4), keras_class(4)
    scratch.build((None, 28, 28)), keras_layer.build((None, 28, 28))
    assert [w.shape for w in scratch.get_weights()] == [
        w.shape for w in keras_layer.get_weights()
    ]
    np.testing.assert_array_equal(scratch.get_weights()[-1], keras_layer.get_weights()[-1])


def test_gru_trace_records_its_gates_and_agrees_with_call(rows):
    scratch = ScratchGRU(8, return_sequences=True)
    scratch.build(rows.shape)
    scratch.set_weights(randomize(scratch.get_weights(), 5))
    trace = {name: np.asarray(t) for name, t in scratch.trace(rows).items()}
    assert set(trace) == {"update", "reset", "candidate", "hidden"}
    np.testing.assert_allclose(trace["hidden"], np.asarray(scratch(rows)), atol=TOLERANCE)
    z, n = trace["update"][:, 1], trace["candidate"][:, 1]
    np.testing.assert_allclose(
        trace["hidden"][:, 1], z * trace["hidden"][:, 0] + (1 - z) * n, atol=TOLERANCE
    )  # step 2 blends step 1's state and n


def test_scratch_model_takes_the_weights_of_the_keras_model(rows):
    keras.utils.set_random_seed(0)
    lstm_model = build_model("lstm", n_hidden=32)
    lstm_model.set_weights(randomize(lstm_model.get_weights(), 3))
    scratch_model = build_model("scratch", n_hidden=32)
    scratch_model.set_weights(lstm_model.get_weights())
    np.testing.assert_allclose(
        np.asarray(scratch_model(rows)), np.asarray(lstm_model(rows)), atol=TOLERANCE
    )


def test_trace_agrees_with_call_and_with_the_equations(rows):
    scratch = ScratchLSTM(8, return_sequences=True, return_state=True)
    scratch.build(rows.shape)
    scratch.set_weights(randomize(scratch.get_weights(), 4))
    sequence, h, c = (np.asarray(t) for t in scratch(rows))
    trace = {name: np.asarray(t) for name, t in scratch.trace(rows).items()}
    assert set(trace) == {"input", "forget", "candidate", "output", "cell", "hidden"}
    assert all(t.shape == (5, 28, 8) for t in trace.values())
    np.testing.assert_allclose(trace["hidden"], sequence, atol=TOLERANCE)
    np.testing.assert_allclose(trace["hidden"][:, -1], h, atol=TOLERANCE)
    np.testing.assert_allclose(trace["cell"][:, -1], c, atol=TOLERANCE)
    # The first step by hand: from zero states, c_1 = i * g and h_1 = o * tanh(c_1).
    kernel, _, bias = scratch.get_weights()
    z = rows[:, 0] @ kernel + bias
    i, f, g, o = (
        _sigmoid(z[:, :8]),
        _sigmoid(z[:, 8:16]),
        np.tanh(z[:, 16:24]),
        _sigmoid(z[:, 24:]),
    )
    for name, value in {
        "input": i,
        "forget": f,
        "candidate": g,
        "output": o,
        "cell": i * g,
        "hidden": o * np.tanh(i * g),
    }.items():
        np.testing.assert_allclose(trace[name][:, 0], value, atol=TOLERANCE, err_msg=name)


def test_scratch_model_survives_save_and_load(tmp_path, rows):
    model = build_model("scratch", n_hidden=8)
    model.save(tmp_path / "scratch.keras")
    loaded = keras.models.load_model(tmp_path / "scratch.keras")
    assert isinstance(loaded.layers[0], ScratchLSTM)
    np.testing.assert_allclose(
        np.asarray(loaded(rows)), np.asarray(model(rows)), atol=TOLERANCE
    )


def test_random_shift_moves_each_training_image_by_at_most_max_shift():
    images = np.zeros((64, 28, 28), np.float32)
    images[:, 12:16, 12:16] = 1.0  # a square well inside: shifting loses no ink
    layer = RandomShift(2, seed=0)
    shifted = np.asarray(layer(images, training=True))
    np.testing.assert_array_equal(shifted.sum(axis=(1, 2)), images.sum(axis=(1, 2)))
    corners = np.array([np.argwhere(image > 0).min(axis=0) for image in shifted])
    assert np.abs(corners - 12).max() == 2  # every offset in -2..2 ...
    assert len({tuple(c) for c in corners}) > 10  # ... and the images move differently
    np.testing.assert_array_equal(np.asarray(layer(images, training=False)), images)


def test_a_standardizing_model_still_takes_pixels_in_0_1(rows):
    model = build_model(n_hidden=4, standardize=(0.5, 0.25), max_shift=2)
    names = [layer.name for layer in model.layers]
    assert names[:2] == ["random_shift", "standardize"]
    standardized = np.asarray(model.get_layer("standardize")(rows))
    np.testing.assert_allclose(standardized, (rows - 0.5) / 0.25, rtol=1e-5, atol=1e-5)
