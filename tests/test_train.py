"""Guards `rnnlib.train`: the classic log line, the History it returns, that training lowers
the loss, that a seeded run repeats number for number, that an interrupted run resumed from its
checkpoints ends with exactly the weights of an unbroken run, and that bad input is refused
with a clear error before any TensorFlow code runs.

Runs are tiny (a few hundred digits, 16 units) so the whole file takes seconds.
"""
import dataclasses
import re

import keras
import numpy as np
import pytest

import rnnlib.train
from rnnlib.data import load_dataset
from rnnlib.model import build_model
from rnnlib.train import History, epochs_for_budget, log_line, train

LINE = re.compile(r"^Iter \d+, Minibatch Loss= \d+\.\d{6}, Training Accuracy= [01]\.\d{5}$")


@pytest.fixture(scope="module")
def digits():
    return load_dataset("mnist-5k").subset(256, 64)


def small_model(seed=0, cell="lstm", **options):
    keras.utils.set_random_seed(seed)
    return build_model(cell, n_hidden=16, **options)


def test_log_line_is_the_classic_format():
    assert log_line(1280, 0.123456, 0.96875) == \
        "Iter 1280, Minibatch Loss= 0.123456, Training Accuracy= 0.96875"


class RecordingBar(rnnlib.train.tqdm):
    """tqdm's progress bar (a widget in Jupyter, text in a terminal), recording how it was used."""
    made = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options, self.updates = kwargs, 0
        RecordingBar.made.append(self)

    def update(self, n=1):
        self.updates += n
        return super().update(n)


@pytest.fixture
def bars(monkeypatch):
    RecordingBar.made = []
    monkeypatch.setattr(rnnlib.train, "tqdm", RecordingBar)
    return RecordingBar.made


def test_train_prints_the_classic_line_and_shows_progress(digits, capsys, bars):
    train(small_model(), digits, epochs=2, batch_size=64, display_step=3)
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Iter")]
    assert lines and all(LINE.match(line) for line in lines), lines
    # 4 steps of 64 per epoch, a line every 3rd step: after 3 and 6 steps = 192 and 384 digits.
    assert [int(line.split()[1].rstrip(",")) for line in lines] == [192, 384]
    [bar] = bars
    assert bar.options["total"] == bar.updates == 8 and "disable" not in bar.options


def test_quiet_training_prints_nothing(digits, capsys, bars):
    train(small_model(), digits, epochs=1, batch_size=64, verbose=False)
    captured = capsys.readouterr()
    assert "Iter" not in captured.out and "Iter" not in captured.err
    assert bars[0].options["disable"] is True


def test_history_records_every_step_and_every_epoch(digits, tmp_path):
    history = train(small_model(), digits, epochs=2, batch_size=100, verbose=False,
                    validation_data=(digits.x_test, digits.y_test))
    assert history.steps["samples"] == [100, 200, 256, 356, 456, 512]
    assert len(history.steps["loss"]) == len(history.steps["accuracy"]) == 6
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "seconds"):
        assert len(history.epochs[key]) == 2, key
    assert all(0 <= a <= 1 for a in history.steps["accuracy"] + history.epochs["val_accuracy"])
    # The epoch loss is the mean over its examples (the last, short batch weighs less).
    first = np.average(history.steps["loss"][:3], weights=[100, 100, 56])
    assert history.epochs["loss"][0] == pytest.approx(first)
    history.save(tmp_path / "history.json")
    assert History.load(tmp_path / "history.json") == history


def test_a_short_run_lowers_the_loss():
    digits = load_dataset("mnist-5k").subset(640, 128)
    history = train(small_model(), digits, epochs=3, batch_size=32, learning_rate=5e-3,
                    verbose=False, validation_data=(digits.x_test, digits.y_test))
    start = np.mean(history.steps["loss"][:3])
    assert start > 2.0                                    # about ln(10) = 2.30 before learning
    assert history.epochs["loss"][-1] < history.epochs["loss"][0] < start
    assert np.mean(history.steps["loss"][-5:]) < 0.8 * start
    assert history.epochs["val_loss"][-1] < history.epochs["val_loss"][0]
    assert history.epochs["val_accuracy"][-1] > 0.25      # well above chance (0.1)


def test_seeded_runs_repeat_number_for_number(digits):
    runs = [train(small_model(seed=7), digits, epochs=2, batch_size=64, seed=7, verbose=False)
            for _ in range(2)]
    assert runs[0].steps["loss"] == runs[1].steps["loss"]
    other_seed = train(small_model(seed=7), digits, epochs=2, batch_size=64, seed=8, verbose=False)
    assert other_seed.steps["loss"] != runs[0].steps["loss"]   # the seed does choose the order


def test_an_interrupted_run_resumes_to_the_same_weights(digits, tmp_path, monkeypatch):
    unbroken_model = small_model(seed=0)
    unbroken = train(unbroken_model, digits, epochs=3, batch_size=64, verbose=False)

    # Interrupt during the second epoch, after its steps ran but before its checkpoint.
    record_epoch = rnnlib.train.record_epoch

    def interrupt_in_epoch_two(history, epoch, *args):
        if epoch == 1:
            raise KeyboardInterrupt
        record_epoch(history, epoch, *args)

    monkeypatch.setattr(rnnlib.train, "record_epoch", interrupt_in_epoch_two)
    with pytest.raises(KeyboardInterrupt):
        train(small_model(seed=0), digits, epochs=3, batch_size=64, verbose=False,
              checkpoint_dir=tmp_path)
    monkeypatch.undo()

    # A fresh model with other initial weights: everything must come from the checkpoint.
    resumed_model = small_model(seed=99)
    resumed = train(resumed_model, digits, epochs=3, batch_size=64, verbose=False,
                    checkpoint_dir=tmp_path)
    for got, expected in zip(resumed_model.get_weights(), unbroken_model.get_weights()):
        np.testing.assert_array_equal(got, expected)
    assert resumed.steps["loss"] == unbroken.steps["loss"]
    assert resumed.epochs["loss"] == unbroken.epochs["loss"]

    # Done is done: asking again for 3 epochs trains no more.
    again_model = small_model(seed=5)
    again = train(again_model, digits, epochs=3, batch_size=64, verbose=False,
                  checkpoint_dir=tmp_path)
    assert again.steps["loss"] == unbroken.steps["loss"]
    for got, expected in zip(again_model.get_weights(), unbroken_model.get_weights()):
        np.testing.assert_array_equal(got, expected)


def test_epochs_for_budget_gives_the_same_samples_on_any_data_set(digits):
    assert epochs_for_budget(digits, 256 * 10) == 10
    assert epochs_for_budget(digits, 1) == 1
    big = dataclasses.replace(digits, x_train=np.zeros((60000, 28, 28), np.float32),
                              y_train=np.zeros(60000, np.int64))
    assert epochs_for_budget(big, 100_000) == 2


def broken(dataset, **fields):
    """The data set with some arrays replaced after construction, as a careless user might."""
    dataset = dataclasses.replace(dataset)
    for name, value in fields.items():
        setattr(dataset, name, value)
    return dataset


@pytest.mark.parametrize("change, error, message", [
    (lambda d: broken(d, x_train=d.x_train.reshape(-1, 784)), ValueError, "flattened"),
    (lambda d: broken(d, x_train=d.x_train * 255), ValueError, "x / 255"),
    (lambda d: broken(d, y_train=np.eye(10)[d.y_train]), ValueError, "one-hot"),
    (lambda d: broken(d, y_train=d.y_train + 1), ValueError, r"0\.\.9"),
    (lambda d: broken(d, x_train=np.where(d.x_train > 0.9, np.nan, d.x_train)), ValueError, "NaN"),
    (lambda d: broken(d, x_train=d.x_train[:0], y_train=d.y_train[:0]), ValueError, "empty"),
    (lambda d: broken(d, y_train=d.y_train[:-1]), ValueError, "256 images but 255 labels"),
    (lambda d: broken(d, x_train=d.x_train[:, :14]), ValueError, "model expects 28 steps"),
    (lambda d: (d.x_train, d.y_train), TypeError, "Dataset"),
])
def test_bad_training_data_is_refused_with_its_fix(digits, change, error, message):
    with pytest.raises(error, match=message):
        train(small_model(), change(digits), epochs=1, verbose=False)


def test_bad_validation_data_is_refused(digits):
    with pytest.raises(ValueError, match="one-hot"):
        train(small_model(), digits, epochs=1, verbose=False,
              validation_data=(digits.x_test, np.eye(10)[digits.y_test]))


def test_model_with_the_wrong_number_of_outputs_is_refused(digits):
    with pytest.raises(ValueError, match="outputs 5 logits but the data has 10 classes"):
        train(small_model(n_classes=5), digits, epochs=1, verbose=False)


@pytest.mark.parametrize("batch_size", [0, 12.5, "64"])
def test_bad_batch_size_is_refused(digits, batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        train(small_model(), digits, epochs=1, batch_size=batch_size, verbose=False)
