"""Guards `rnnlib.evaluate` (accuracy, predictions, confusion matrix, refusing bad input with a
clear error) and smoke-tests every `rnnlib.plots` function: each returns a figure that holds
what it claims to draw. Figures use matplotlib's Agg backend, so no display is needed.
"""

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from rnnlib import evaluate, plots  # noqa: E402
from rnnlib.model import ScratchLSTM, build_model  # noqa: E402
from rnnlib.train import History  # noqa: E402


@pytest.fixture(scope="module")
def model():
    keras.utils.set_random_seed(0)
    model = build_model(n_hidden=8)
    rng = np.random.default_rng(0)
    model.set_weights(
        [rng.normal(0, 1, w.shape).astype(np.float32) for w in model.get_weights()]
    )
    return model


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(1).random((40, 28, 28)).astype(np.float32)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_predictions_are_the_argmax_of_the_logits(model, images):
    logits = np.asarray(model(images))
    np.testing.assert_allclose(evaluate.predict_logits(model, images), logits, atol=1e-5)
    assert evaluate.predict(model, images).tolist() == logits.argmax(1).tolist()
    proba = evaluate.predict_proba(model, images)
    np.testing.assert_allclose(proba.sum(axis=1), 1, atol=1e-5)
    assert (proba.argmax(1) == logits.argmax(1)).all()


def test_accuracy_counts_the_right_predictions(model, images):
    predicted = evaluate.predict(model, images)
    labels = predicted.copy()
    labels[::4] = (labels[::4] + 1) % 10  # every 4th label now disagrees
    assert evaluate.accuracy(model, images, labels) == pytest.approx(0.75)
    assert evaluate.accuracy(model, images, predicted) == 1.0


def test_confusion_matrix_rows_are_true_classes():
    labels = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 2, 0])
    matrix = evaluate.confusion_matrix(labels, predicted, n_classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    np.testing.assert_allclose(evaluate.per_class_accuracy(matrix), [0.5, 1, 2 / 3])
    with pytest.raises(ValueError, match="6 labels but 5 predictions"):
        evaluate.confusion_matrix(labels, predicted[:5], n_classes=3)


def test_confident_mistakes_come_most_confident_first():
    proba = np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.7, 0.3]])
    labels = np.array([0, 0, 0, 1])  # wrong: 1 (0.6), 2 (0.8), 3 (0.7)
    assert evaluate.confident_mistakes(proba, labels, k=2).tolist() == [2, 3]


@pytest.mark.parametrize(
    "change, error, message",
    [
        (lambda x, y: (x.reshape(-1, 784), y), ValueError, "flattened"),
        (lambda x, y: (x * 255, y), ValueError, "x / 255"),
        (lambda x, y: (np.where(x > 0.9, np.inf, x), y), ValueError, "NaN or infinite"),
        (lambda x, y: (x, np.eye(10)[y]), ValueError, r"one-hot.*argmax"),
        (lambda x, y: (x, y + 10), ValueError, r"0\.\.9"),
        (lambda x, y: (x[:0], y[:0]), ValueError, "empty"),
        (lambda x, y: (x, y[:-1]), ValueError, "40 images but 39 labels"),
        (lambda x, y: (x[:, :, :14], y), ValueError, "model expects 28 steps of 28 inputs"),
        (lambda x, y: (x.tolist(), y), TypeError, "NumPy array"),
    ],
)
def test_accuracy_refuses_bad_input_with_its_fix(model, images, change, error, message):
    x, y = change(images, np.arange(len(images)) % 10)
    with pytest.raises(error, match=message):
        evaluate.accuracy(model, x, y)


def test_accuracy_refuses_labels_the_model_cannot_output(images):
    five_classes = build_model(n_hidden=4, n_classes=5)
    with pytest.raises(ValueError, match=r"0\.\.4"):
        evaluate.accuracy(five_classes, images, np.arange(len(images)) % 10)


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_digit_as_rows_shows_the_image_and_its_28_rows(images):
    fig = plots.digit_as_rows(images[0], label=7)
    left, right = fig.axes
    assert len(left.images) == 1 and "7" in left.get_title()
    assert len(right.images) == 28


def test_unrolled_rnn_draws_one_cell_per_step_and_both_lstm_states():
    fig = plots.unrolled_rnn(n_shown=3)
    labels = texts(fig.axes[0])
    assert sum("LSTM" in t for t in labels) == 4  # 3 shown, then the 28th
    assert {"$c_0 = 0$", "$h_0 = 0$", "$c_{27}$", "$h_{28}$"} <= set(labels)
    assert "$c_{28}$" not in labels  # only h_28 leaves the layer


def test_unrolled_plain_rnn_carries_only_the_hidden_state():
    labels = texts(plots.unrolled_rnn(n_shown=2, cell="simple").axes[0])
    assert sum("RNN" in t for t in labels) == 3
    assert "$h_{1}$" in labels and not any(t.startswith("$c_") for t in labels)
    with pytest.raises(ValueError, match="unknown cell 'rnn'"):
        plots.unrolled_rnn(cell="rnn")


def test_lstm_cell_names_its_inputs_outputs_and_four_blocks():
    labels = texts(plots.lstm_cell().axes[0])
    states = ("$x_t$", "$h_{t-1}$", "$c_{t-1}$", "$c_t$", "$h_t$")
    assert set(states) | {"$f_t$", "$i_t$", "$g_t$", "$o_t$"} <= set(labels)
    for block in ("forget gate", "input gate", "candidate", "output gate"):
        assert labels.count(block) == 1
    assert labels.count("×") == 3 and labels.count("+") == 1  # c_t = f c + i g; h_t = o tanh(c)


def history(with_validation):
    h = History(steps_per_epoch=2)
    h.steps["samples"] = [100, 200, 300, 400]
    h.steps["loss"], h.steps["accuracy"] = [2.3, 2.0, 1.5, 1.2], [0.1, 0.3, 0.5, 0.6]
    h.epochs["loss"], h.epochs["accuracy"] = [2.1, 1.3], [0.2, 0.55]
    if with_validation:
        h.epochs["val_loss"], h.epochs["val_accuracy"] = [1.9, 1.4], [0.3, 0.5]
    return h


@pytest.mark.parametrize("with_validation", [False, True])
def test_training_curves_plot_steps_epochs_and_held_out(with_validation):
    fig = plots.training_curves(history(with_validation))
    loss_ax, accuracy_ax = fig.axes
    assert len(loss_ax.lines) == (3 if with_validation else 2)
    np.testing.assert_array_equal(loss_ax.lines[1].get_xdata(), [200, 400])  # epoch ends
    np.testing.assert_array_equal(accuracy_ax.lines[0].get_ydata(), [0.1, 0.3, 0.5, 0.6])


def test_confusion_heatmap_writes_every_count():
    matrix = np.arange(9).reshape(3, 3)
    fig = plots.confusion_heatmap(matrix, ("a", "b", "c"))
    assert sorted(map(int, texts(fig.axes[0]))) == list(range(9))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["a", "b", "c"]


def test_image_grid_has_one_captioned_image_per_input(images):
    fig = plots.image_grid(images[:7], [f"#{i}" for i in range(7)], columns=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 8 and len(shown) == 7
    assert [ax.get_title() for ax in shown] == [f"#{i}" for i in range(7)]


def test_probability_bars_has_one_bar_per_class():
    proba = np.full(10, 0.1)
    fig = plots.probability_bars(proba, tuple("0123456789"), title="a digit")
    ax = fig.axes[0]
    assert len(ax.patches) == 10 and ax.get_title() == "a digit"


def test_gate_activity_shows_gates_and_states(images):
    layer = ScratchLSTM(8)
    layer.build(images.shape)
    fig = plots.gate_activity(layer.trace(images[:2]), units=8)
    panels = [ax for ax in fig.axes if ax.images and ax.get_title()]
    assert len(panels) == 6
    titles = [ax.get_title() for ax in panels]
    assert titles == list(plots.LSTM_PANELS.values())
    assert "candidate $g_t$" in titles  # the candidate is not a gate
    assert panels[0].images[0].get_array().shape == (8, 28)  # units x time steps


def test_accuracy_reports_nan_labels_plainly(model, images):
    labels = (np.arange(len(images)) % 10).astype(float)
    labels[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        evaluate.accuracy(model, images, labels)


def test_a_model_without_an_input_shape_is_named_with_the_fix(images):
    class Unbuilt(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match=r"no input shape yet.*keras\.Input"):
        evaluate.predict(Unbuilt(), images)
    with pytest.raises(ValueError, match=r"no output shape yet"):
        evaluate.accuracy(Unbuilt(), images, np.zeros(len(images), np.int64))
