"""`train(..., tensorboard_dir=...)` writes TensorBoard logs that say what the History says."""
import keras
import numpy as np
import pytest

import rnnlib.train
from rnnlib.data import load_dataset
from rnnlib.model import build_model
from rnnlib.tensorboard import read_logs
from rnnlib.train import train


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    digits = load_dataset("mnist-5k").subset(200, 50)
    keras.utils.set_random_seed(0)
    model = build_model(n_hidden=8)
    logdir = tmp_path_factory.mktemp("logs")
    history = train(model, digits, epochs=2, batch_size=64, verbose=False, tensorboard_dir=logdir,
                    validation_data=(digits.x_test, digits.y_test))
    return model, history, read_logs(logdir)


def test_runs_and_scalars_match_the_history(run):
    _, history, logs = run
    assert set(logs) == {"train", "validation"}
    steps, values = logs["train"]["epoch_loss"]
    assert steps == [0, 1]
    np.testing.assert_allclose(values, history.epochs["loss"], rtol=1e-6)
    np.testing.assert_allclose(logs["train"]["epoch_accuracy"][1], history.epochs["accuracy"], rtol=1e-6)
    np.testing.assert_allclose(logs["validation"]["epoch_loss"][1], history.epochs["val_loss"], rtol=1e-6)
    steps, values = logs["train"]["batch_loss"]
    assert steps == history.steps["samples"]       # one point per minibatch, at examples seen
    np.testing.assert_allclose(values, history.steps["loss"], rtol=1e-6)


def test_histograms_of_every_weight_and_its_gradient(run):
    model, _, logs = run
    for variable in model.trainable_variables:
        for tag in (f"{variable.path}/histogram", f"{variable.path}/gradient"):
            steps, histograms = logs["train"][tag]
            assert steps == [0, 1]
            assert histograms[-1][:, 2].sum() == pytest.approx(np.prod(variable.shape))
    gradient = logs["train"][f"{model.layers[-1].kernel.path}/gradient"][1][-1]
    assert (gradient[:, :2] != 0).any()             # the gradient is not all zeros


def test_no_logger_without_a_folder(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("EpochLogger built although tensorboard_dir is None")
    monkeypatch.setattr(rnnlib.train, "EpochLogger", refuse)
    keras.utils.set_random_seed(0)
    digits = load_dataset("mnist-5k").subset(64, 16)
    train(build_model(n_hidden=4), digits, epochs=1, verbose=False)
