"""Guards `rnnlib.train`: the classic log line, the History it returns, that training lowers
the loss, that a seeded run repeats number for number, that Keras callbacks work as with
`model.fit`, that a run interrupted at any moment resumes from its checkpoint to exactly the
weights of an unbroken run, and that bad input is refused with a clear error before any
TensorFlow code runs.

Runs are tiny (a few hundred digits, 16 units) so the whole file takes seconds.
"""

import dataclasses
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

import rnnlib.train
from rnnlib.model import build_model
from rnnlib.train import (
    ClassicLog,
    History,
    epochs_for_budget,
    log_line,
    steps_per_epoch,
    train,
)

LINE = re.compile(r"^Iter \d+, Minibatch Loss= \d+\.\d{6}, Training Accuracy= [01]\.\d{5}$")


@pytest.fixture(scope="module")
def digits(mnist_5k):
    return mnist_5k.subset(256, 64)


def small_model(seed=0, cell="lstm", **options):
    keras.utils.set_random_seed(seed)
    return build_model(cell, n_hidden=16, **options)


def test_log_line_is_the_classic_format():
    assert (
        log_line(1280, 0.123456, 0.96875)
        == "Iter 1280, Minibatch Loss= 0.123456, Training Accuracy= 0.96875"
    )


class RecordingBar(rnnlib.train.tqdm):
    """tqdm's progress bar (a widget in Jupyter, text in a terminal), recording its use."""

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
    train(
        small_model(), digits, epochs=2, batch_size=64, callbacks=[ClassicLog(display_step=3)]
    )
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
    assert bars == []  # no progress bar made at all


def test_history_records_every_step_and_every_epoch(digits, tmp_path):
    history = train(
        small_model(),
        digits,
        epochs=2,
        batch_size=100,
        verbose=False,
        validation_data=(digits.x_test, digits.y_test),
    )
    assert history.steps["samples"] == [100, 200, 256, 356, 456, 512]
    assert history.steps_per_epoch == 3 == steps_per_epoch(256, 100)
    assert len(history.steps["loss"]) == len(history.steps["accuracy"]) == 6
    for key in ("loss", "accuracy", "val_loss", "val_accuracy", "seconds"):
        assert len(history.epochs[key]) == 2, key
    assert all(0 <= a <= 1 for a in history.steps["accuracy"] + history.epochs["val_accuracy"])
    # The epoch loss is the mean over its examples (the last, short batch weighs less).
    first = np.average(history.steps["loss"][:3], weights=[100, 100, 56])
    assert history.epochs["loss"][0] == pytest.approx(first)
    assert History.from_json(history.to_json()) == history


def test_a_short_run_lowers_the_loss(mnist_5k):
    digits = mnist_5k.subset(640, 128)
    history = train(
        small_model(),
        digits,
        epochs=3,
        batch_size=32,
        learning_rate=5e-3,
        verbose=False,
        validation_data=(digits.x_test, digits.y_test),
    )
    start = np.mean(history.steps["loss"][:3])
    assert start > 2.0  # about ln(10) = 2.30 before learning
    assert history.epochs["loss"][-1] < history.epochs["loss"][0] < start
    assert np.mean(history.steps["loss"][-5:]) < 0.8 * start
    assert history.epochs["val_loss"][-1] < history.epochs["val_loss"][0]
    assert history.epochs["val_accuracy"][-1] > 0.25  # well above chance (0.1)


def test_seeded_runs_repeat_number_for_number(digits):
    runs = [
        train(small_model(seed=7), digits, epochs=2, batch_size=64, seed=7, verbose=False)
        for _ in range(2)
    ]
    assert runs[0].steps["loss"] == runs[1].steps["loss"]
    other_seed = train(
        small_model(seed=7), digits, epochs=2, batch_size=64, seed=8, verbose=False
    )
    assert other_seed.steps["loss"] != runs[0].steps["loss"]  # the seed does choose the order


@pytest.mark.parametrize("steps_per_call", [3, 100])
def test_several_steps_per_call_train_exactly_as_one_step_per_call(digits, steps_per_call):
    """256 images in batches of 60: 4 whole minibatches and one of 16, in calls of 3 or all."""
    models, histories = [], []
    for k in (1, steps_per_call):
        models.append(small_model(seed=3))
        histories.append(
            train(models[-1], digits, epochs=2, batch_size=60, steps_per_call=k, verbose=False)
        )
    one, several = histories
    assert len(several.steps["loss"]) == 2 * 5 and several.steps["samples"][:5] == [
        60,
        120,
        180,
        240,
        256,
    ]
    assert several.steps == one.steps and several.epochs["loss"] == one.epochs["loss"]
    for a, b in zip(*(model.get_weights() for model in models)):
        np.testing.assert_array_equal(a, b)


def test_a_batch_larger_than_the_data_set_is_one_step(digits):
    history = train(small_model(), digits, epochs=2, batch_size=1000, verbose=False)
    assert history.steps_per_epoch == 1 and history.steps["samples"] == [256, 512]


def test_callbacks_see_every_step_in_order_begin_then_end(digits):
    class Order(keras.callbacks.Callback):
        calls = []

        def on_train_batch_begin(self, batch, logs=None):
            self.calls.append(("begin", batch))

        def on_train_batch_end(self, batch, logs=None):
            self.calls.append(("end", batch))

    train(small_model(), digits, epochs=1, batch_size=60, callbacks=[Order()], verbose=False)
    assert Order.calls == [(event, step) for step in range(5) for event in ("begin", "end")]


def test_minibatches_split_an_epoch_into_calls_of_whole_batches_and_the_rest():
    assert rnnlib.train._calls(256, 60, 3) == [(0, 180), (180, 240), (240, 256)]
    assert rnnlib.train._calls(240, 60, 8) == [(0, 240)]
    assert rnnlib.train._minibatches(np.zeros((180, 28, 28)), 60).shape == (3, 60, 28, 28)
    assert rnnlib.train._minibatches(np.zeros((16, 28, 28)), 60).shape == (1, 16, 28, 28)


def interrupt(monkeypatch, obj, name, at_call):
    """Make `obj.name` raise KeyboardInterrupt on its `at_call`-th call (1-based)."""
    original, calls = getattr(obj, name), []

    def interrupted(*args, **kwargs):
        calls.append(None)
        if len(calls) == at_call:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(obj, name, interrupted)


def run_resumed(digits, folder):
    """A fresh model with other initial weights: everything must come from the checkpoint."""
    model = small_model(seed=99)
    return model, train(
        model, digits, epochs=3, batch_size=64, verbose=False, checkpoint_dir=folder
    )


@pytest.fixture(scope="module")
def unbroken(digits):
    model = small_model(seed=0)
    return model, train(model, digits, epochs=3, batch_size=64, verbose=False)


def assert_same_run(resumed, unbroken):
    (model, history), (unbroken_model, unbroken_history) = resumed, unbroken
    for got, expected in zip(model.get_weights(), unbroken_model.get_weights()):
        np.testing.assert_array_equal(got, expected)
    assert history.steps == unbroken_history.steps
    assert history.epochs["loss"] == unbroken_history.epochs["loss"]


# Where the second epoch can be cut: during its steps (before anything is saved), or inside its
# save, after the checkpoint's files are written but before the index that names the latest one:
# TensorFlow calls CheckpointManager._record_state right after writing them, twice per save.
CUTS = {
    "during the steps": (rnnlib.train, "_record_epoch", 2),
    "between writing the checkpoint and its index": (
        tf.train.CheckpointManager,
        "_record_state",
        3,
    ),
}


@pytest.mark.parametrize("cut", CUTS)
def test_an_interrupted_run_resumes_to_the_same_weights(
    digits, unbroken, tmp_path, monkeypatch, cut
):
    interrupt(monkeypatch, *CUTS[cut])
    with pytest.raises(KeyboardInterrupt):
        train(
            small_model(seed=0),
            digits,
            epochs=3,
            batch_size=64,
            verbose=False,
            checkpoint_dir=tmp_path,
        )
    monkeypatch.undo()
    assert_same_run(run_resumed(digits, tmp_path), unbroken)
    # Done is done: asking again for 3 epochs trains no more.
    assert_same_run(run_resumed(digits, tmp_path), unbroken)


def test_resuming_with_another_batch_size_is_refused(digits, tmp_path):
    train(
        small_model(), digits, epochs=1, batch_size=64, verbose=False, checkpoint_dir=tmp_path
    )
    with pytest.raises(ValueError, match="same data and batch size"):
        train(
            small_model(),
            digits,
            epochs=2,
            batch_size=32,
            verbose=False,
            checkpoint_dir=tmp_path,
        )


class Recorder(keras.callbacks.Callback):
    """A reader's own callback: it sees what a callback sees under `model.fit`."""

    def on_train_begin(self, logs=None):
        self.epochs, self.batches = [], 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append((epoch, dict(logs)))


def test_keras_callbacks_are_called_as_fit_calls_them(digits):
    recorder = Recorder()
    history = train(
        small_model(),
        digits,
        epochs=2,
        batch_size=64,
        verbose=False,
        callbacks=[recorder],
        validation_data=(digits.x_test, digits.y_test),
    )
    assert recorder.batches == 2 * 4 and recorder.model is not None
    assert [epoch for epoch, _ in recorder.epochs] == [0, 1]
    last = recorder.epochs[-1][1]
    assert last["loss"] == history.epochs["loss"][-1]
    assert last["val_accuracy"] == history.epochs["val_accuracy"][-1]


def test_keras_early_stopping_stops_and_restores_the_best_weights(digits):
    # An improvement must exceed 10 to count, so after the first epoch nothing improves.
    stopper = keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=1, min_delta=10, restore_best_weights=True
    )
    model = small_model(seed=3)
    history = train(
        model,
        digits,
        epochs=10,
        batch_size=64,
        verbose=False,
        callbacks=[stopper],
        validation_data=(digits.x_test, digits.y_test),
    )
    assert len(history.epochs["loss"]) == 2  # epoch 1 was best, epoch 2 waited
    one_epoch = small_model(seed=3)
    train(one_epoch, digits, epochs=1, batch_size=64, verbose=False)
    for got, expected in zip(model.get_weights(), one_epoch.get_weights()):
        np.testing.assert_array_equal(got, expected)


def test_the_model_keeps_its_own_optimizer_after_training(digits):
    model = small_model()
    train(model, digits, epochs=1, verbose=False)
    assert model.optimizer is None  # so model.save stores no optimizer state
    model.compile(optimizer="sgd", loss="mse")
    compiled = model.optimizer
    train(model, digits, epochs=1, verbose=False)
    assert model.optimizer is compiled


def test_an_optimizer_and_a_learning_rate_together_are_refused(digits):
    with pytest.raises(ValueError, match="either optimizer= or learning_rate="):
        train(
            small_model(),
            digits,
            epochs=1,
            verbose=False,
            learning_rate=0.1,
            optimizer=keras.optimizers.Adam(1e-3),
        )


def test_xla_repeats_itself_and_follows_the_plain_loss_curve(digits):
    def losses(jit):
        model = small_model(seed=4)
        return train(
            model, digits, epochs=2, batch_size=64, verbose=False, jit_compile=jit
        ).steps["loss"]

    xla, again, plain = losses(True), losses(True), losses(False)
    assert xla == again  # deterministic, number for number
    np.testing.assert_allclose(xla, plain, rtol=1e-4)  # the same curve, up to rounding


def test_an_xla_run_resumes_to_the_same_weights(digits, tmp_path, monkeypatch):
    model = small_model(seed=0)
    unbroken = (
        model,
        train(model, digits, epochs=3, batch_size=64, verbose=False, jit_compile=True),
    )
    interrupt(monkeypatch, rnnlib.train, "_record_epoch", 2)
    with pytest.raises(KeyboardInterrupt):
        train(
            small_model(seed=0),
            digits,
            epochs=3,
            batch_size=64,
            verbose=False,
            checkpoint_dir=tmp_path,
            jit_compile=True,
        )
    monkeypatch.undo()
    model = small_model(seed=99)
    resumed = (
        model,
        train(
            model,
            digits,
            epochs=3,
            batch_size=64,
            verbose=False,
            checkpoint_dir=tmp_path,
            jit_compile=True,
        ),
    )
    assert_same_run(resumed, unbroken)


def test_epochs_for_budget_gives_the_same_samples_on_any_data_set(digits):
    assert epochs_for_budget(digits, 256 * 10) == 10
    assert epochs_for_budget(digits, 1) == 1
    big = dataclasses.replace(
        digits, x_train=np.zeros((60000, 28, 28), np.float32), y_train=np.zeros(60000, np.int64)
    )
    assert epochs_for_budget(big, 100_000) == 2


def test_images_the_model_cannot_read_are_refused(digits):
    with pytest.raises(
        ValueError, match="28 steps of 28 inputs, but the model expects 14 steps of 56"
    ):
        train(build_model(n_hidden=4, n_steps=14, n_input=56), digits, epochs=1, verbose=False)


def test_arrays_instead_of_a_dataset_are_refused(digits):
    with pytest.raises(TypeError, match="Dataset"):
        train(small_model(), (digits.x_train, digits.y_train), epochs=1, verbose=False)


def test_bad_validation_data_is_refused(digits):
    with pytest.raises(ValueError, match="one-hot"):
        train(
            small_model(),
            digits,
            epochs=1,
            verbose=False,
            validation_data=(digits.x_test, np.eye(10)[digits.y_test]),
        )


def test_model_with_the_wrong_number_of_outputs_is_refused(digits):
    with pytest.raises(ValueError, match="outputs 5 logits but the data has 10 classes"):
        train(small_model(n_classes=5), digits, epochs=1, verbose=False)


@pytest.mark.parametrize("batch_size", [0, 12.5, "64"])
def test_bad_batch_size_is_refused(digits, batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        train(small_model(), digits, epochs=1, batch_size=batch_size, verbose=False)


@pytest.mark.parametrize("steps_per_call", [0, 2.0])
def test_bad_steps_per_call_is_refused(digits, steps_per_call):
    with pytest.raises(ValueError, match="steps_per_call"):
        train(small_model(), digits, epochs=1, steps_per_call=steps_per_call, verbose=False)
