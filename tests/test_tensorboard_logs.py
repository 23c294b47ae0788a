"""Keras' TensorBoard callback and `GradientHistograms` write logs during `rnnlib.train` that
say what the History says, and `read_logs` reads them back."""

import keras
import numpy as np
import pytest

from rnnlib.model import build_model
from rnnlib.tensorboard_logs import GradientHistograms, read_logs
from rnnlib.train import train


@pytest.fixture(scope="module")
def run(mnist_5k, tmp_path_factory):
    digits = mnist_5k.subset(200, 50)
    keras.utils.set_random_seed(0)
    model = build_model(n_hidden=8)
    log_dir = tmp_path_factory.mktemp("logs")
    callbacks = [
        keras.callbacks.TensorBoard(log_dir, histogram_freq=1, update_freq="batch"),
        GradientHistograms(log_dir, digits.x_train[:64], digits.y_train[:64]),
    ]
    history = train(
        model,
        digits,
        epochs=2,
        batch_size=64,
        verbose=False,
        callbacks=callbacks,
        validation_data=(digits.x_test, digits.y_test),
    )
    return model, history, read_logs(log_dir)


def test_runs_and_scalars_match_the_history(run):
    _, history, logs = run
    assert set(logs) == {"train", "validation"}
    steps, values = logs["train"]["epoch_loss"]
    assert steps == [0, 1]
    np.testing.assert_allclose(values, history.epochs["loss"], rtol=1e-6)
    np.testing.assert_allclose(
        logs["train"]["epoch_accuracy"][1], history.epochs["accuracy"], rtol=1e-6
    )
    np.testing.assert_allclose(
        logs["validation"]["epoch_loss"][1], history.epochs["val_loss"], rtol=1e-6
    )
    steps, values = logs["train"]["batch_loss"]
    assert steps == list(range(1, len(history.steps["loss"]) + 1))  # one point per minibatch
    np.testing.assert_allclose(values, history.steps["loss"], rtol=1e-6)


def test_histograms_of_every_weight_and_its_gradient(run):
    model, _, logs = run
    for variable in model.trainable_variables:
        for tag in (f"{variable.path}/histogram", f"{variable.path}/gradient"):
            steps, histograms = logs["train"][tag]
            assert steps == [0, 1]
            assert histograms[-1][:, 2].sum() == pytest.approx(np.prod(variable.shape))
    gradient = logs["train"][f"{model.layers[-1].kernel.path}/gradient"][1][-1]
    assert (gradient[:, :2] != 0).any()  # the gradient is not all zeros
