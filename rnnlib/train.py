"""The training loop, written out so that each of the seven training steps has a line to show.

    1. take an example (a minibatch) from the data set
    2. the network computes on it with its current (at first random) variables
    3. a predicted result comes out (logits)
    4. comparing it with the expected label gives an error (the loss)
    5. the error flows back along the same path (gradients) and the variables are adjusted
    6. steps 1-5 repeat, epoch after epoch, until the variables are right
    7. the trained variables predict new, unseen input (see `rnnlib.evaluate`)

Everything else (the progress bar, the classic log lines, early stopping, TensorBoard) is a
Keras callback that the loop calls, as `model.fit` calls it (see `train` for when).
"""

import dataclasses
import json
import time

import keras
import numpy as np
import tensorflow as tf
from tqdm.auto import tqdm

from rnnlib.data import Dataset
from rnnlib.validate import check_model_outputs, check_pair, model_input_shape

STEPS_PER_CALL = 8  # minibatches per call of the compiled training step (`compile_steps`)


@dataclasses.dataclass
class History:
    """What happened during training: one entry per minibatch step and one per epoch."""

    steps_per_epoch: int
    steps: dict = dataclasses.field(
        default_factory=lambda: {"samples": [], "loss": [], "accuracy": []}
    )
    epochs: dict = dataclasses.field(
        default_factory=lambda: {
            "loss": [],
            "accuracy": [],
            "val_loss": [],
            "val_accuracy": [],
            "seconds": [],
        }
    )

    def to_json(self):
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text):
        return cls(**json.loads(text))


def log_line(samples, loss, accuracy):
    """The classic tutorial's progress line."""
    return f"Iter {samples}, Minibatch Loss= {loss:.6f}, Training Accuracy= {accuracy:.5f}"


class ClassicLog(keras.callbacks.Callback):
    """Print the classic tutorial's line every `display_step` steps (default: once per epoch).

    It counts steps over all epochs, as the tutorial did; the loop's batch logs say how many
    examples the network has seen (`samples`).
    """

    def __init__(self, display_step=None):
        super().__init__()
        self.display_step = display_step

    def on_train_begin(self, logs=None):
        self.step = self.params["initial_epoch"] * self.params["steps"]

    def on_train_batch_end(self, batch, logs=None):
        self.step += 1
        if self.step % (self.display_step or self.params["steps"]) == 0:
            # Keras hands numbers to callbacks as floats
            tqdm.write(log_line(int(logs["samples"]), logs["loss"], logs["accuracy"]))


class ProgressBar(keras.callbacks.Callback):
    """A tqdm progress bar over all the steps still to run (silenced by TQDM_DISABLE=1)."""

    def on_train_begin(self, logs=None):
        remaining = self.params["epochs"] - self.params["initial_epoch"]
        self.bar = tqdm(total=remaining * self.params["steps"], unit="step", leave=False)

    def on_train_batch_end(self, batch, logs=None):
        self.bar.update()

    def on_train_end(self, logs=None):
        self.bar.close()


def steps_per_epoch(n_examples, batch_size):
    """Minibatches in one pass over `n_examples`: the last one may be smaller."""
    return -(-n_examples // batch_size)


def epochs_for_budget(dataset, samples):
    """Epochs that show the network about `samples` examples: one budget for any data set."""
    return max(1, round(samples / len(dataset.x_train)))


def train(
    model,
    dataset,
    epochs=10,
    batch_size=128,
    optimizer=None,
    learning_rate=None,
    seed=0,
    validation_data=None,
    callbacks=None,
    checkpoint_dir=None,
    verbose=True,
    jit_compile=False,
    steps_per_call=STEPS_PER_CALL,
):
    """Train `model` on `dataset.x_train` with cross-entropy; return a `History`.

    `optimizer` defaults to `keras.optimizers.Adam(learning_rate or 0.001)`; give one, not both.
    `validation_data=(x, y)` is evaluated after each epoch (`val_loss`, `val_accuracy`).
    `callbacks` are Keras callbacks (`keras.callbacks.EarlyStopping`, `TensorBoard`, your own),
    called as `model.fit` calls them. `verbose` adds a progress bar and a `ClassicLog` line per
    epoch (unless `callbacks` brings its own `ClassicLog`).
    `checkpoint_dir` saves the state after every epoch; calling `train` again with that folder
    resumes from there up to `epochs` in total, ending with the same weights as an unbroken run.
    `jit_compile=True` compiles the step with XLA: each call of `train` first spends seconds
    compiling (once per shape of call, up to three), which pays only where the compiled step is
    faster: on this project's 2-core CPU it was at most 1.08x faster with one minibatch per
    call, and slower with several (`bench/speed.py` measures).
    `steps_per_call` minibatches run in one call of the compiled step (see `compile_steps`).
    Callbacks see every step once its call has returned (`on_train_batch_begin` and `_end` back
    to back), so a callback that changes the learning rate or stops training mid-epoch acts
    up to `steps_per_call` steps late; `steps_per_call=1` makes it exact.
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(
            f"dataset must be an rnnlib.data.Dataset, got {type(dataset).__name__}; "
            "load one with load_dataset() or wrap arrays in Dataset(...)"
        )
    if optimizer is not None and learning_rate is not None:
        raise ValueError(
            "give either optimizer= or learning_rate=, not both: the optimizer "
            "carries its own learning rate, which would silently win"
        )
    for name, value in {"batch_size": batch_size, "steps_per_call": steps_per_call}.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    check_model_outputs(model, dataset.n_classes)
    n_steps, n_input = model_input_shape(model)
    x, y = dataset.x_train, dataset.y_train
    if x.shape[1:] != (n_steps, n_input):
        raise ValueError(
            f"images have {x.shape[1]} steps of {x.shape[2]} inputs, but the model "
            f"expects {n_steps} steps of {n_input} inputs"
        )
    if validation_data is not None:
        validation_data = check_pair(
            *validation_data,
            dataset.n_classes,
            n_steps=n_steps,
            n_input=n_input,
            pixel_range=dataset.pixel_range,
        )

    optimizer = optimizer or keras.optimizers.Adam(learning_rate or 1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    spec = (
        tf.TensorSpec([None, n_steps, n_input], tf.float32),
        tf.TensorSpec([None], tf.int64),
    )

    def train_step(images, labels):
        with tf.GradientTape() as tape:
            logits = model(images, training=True)  # steps 2-3: compute, predict
            loss = loss_fn(labels, logits)  # step 4: compare -> error
        # step 5: the error flows back (the gradients), and the variables are adjusted
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        return loss, _batch_accuracy(labels, logits)

    optimizer.build(model.trainable_variables)  # its variables, before the step is traced
    run_steps = compile_steps(train_step, spec, jit_compile)

    @tf.function(input_signature=spec, jit_compile=jit_compile)
    def eval_step(images, labels):
        logits = model(images, training=False)
        return loss_fn(labels, logits), _batch_accuracy(labels, logits)

    n_batches = steps_per_epoch(len(x), batch_size)
    history, start_epoch, save = History(n_batches), 0, None
    if checkpoint_dir is not None:
        history, start_epoch, save = _resume(model, optimizer, checkpoint_dir, history)
    callbacks = keras.callbacks.CallbackList(
        _default_callbacks(callbacks, verbose),
        model=model,
        epochs=epochs,
        steps=n_batches,
        initial_epoch=start_epoch,
        verbose=int(verbose),
    )

    # Callbacks find the optimizer on the model, as under `model.fit` (TensorBoard logs its
    # learning rate, ReduceLROnPlateau changes it); the model gets its own back at the end, so
    # that a saved model carries no optimizer it was not compiled with.
    own_optimizer = getattr(model, "optimizer", None)
    model.optimizer, model.stop_training = optimizer, False
    try:
        callbacks.on_train_begin()
        for epoch in range(start_epoch, epochs):  # step 6: repeat
            callbacks.on_epoch_begin(epoch)
            started = time.perf_counter()
            order = np.random.default_rng([seed, epoch]).permutation(len(x))
            # Plain NumPy, no tf.data: dropping an epoch's tf.data iterator can wait ~0.6 s for
            # its autotuning thread on a small machine (bench/speed.py counts such stalls).
            x_epoch, y_epoch = x[order], y[order]
            losses, accuracies = [], []
            for start, stop in _calls(len(x), batch_size, steps_per_call):
                images = _minibatches(x_epoch[start:stop], batch_size)  # step 1: take examples
                labels = _minibatches(y_epoch[start:stop], batch_size)
                call_losses, call_accuracies = run_steps(images, labels)  # steps 2-5
                for loss, accuracy in zip(call_losses.numpy(), call_accuracies.numpy()):
                    step = len(losses)
                    losses.append(float(loss)), accuracies.append(float(accuracy))
                    seen = epoch * len(x) + min(len(x), (step + 1) * batch_size)
                    step_logs = dict(loss=losses[-1], accuracy=accuracies[-1], samples=seen)
                    callbacks.on_train_batch_begin(step)
                    callbacks.on_train_batch_end(step, step_logs)
            logs = _record_epoch(history, epoch, len(x), batch_size, losses, accuracies)
            if validation_data is not None:
                logs["val_loss"], logs["val_accuracy"] = _evaluate_batches(
                    eval_step, *validation_data
                )
                history.epochs["val_loss"].append(logs["val_loss"])
                history.epochs["val_accuracy"].append(logs["val_accuracy"])
            history.epochs["seconds"].append(time.perf_counter() - started)
            callbacks.on_epoch_end(epoch, logs)
            if save:
                save(history)
            if model.stop_training:  # say, early stopping
                break
        callbacks.on_train_end()
    finally:
        model.optimizer = own_optimizer
    return history


def compile_steps(step, spec, jit_compile=False):
    """Compile `step(images, labels) -> (loss, accuracy)` to run on a stack of minibatches.

    `spec` is the (images, labels) `tf.TensorSpec` pair of one minibatch. The compiled function
    takes images of shape (k, batch, ...) and labels (k, batch), runs `step` on each of the k
    minibatches in turn inside one TensorFlow loop (so a variable changed by one step is seen by
    the next, as in k separate calls), and returns the k losses and accuracies. One call for k
    steps skips the Python between the steps, as `model.fit` does with `steps_per_execution`:
    `bench/speed.py` measures what that saves.
    """
    images_spec, labels_spec = spec
    stacked = (
        tf.TensorSpec([None, *images_spec.shape], images_spec.dtype),
        tf.TensorSpec([None, *labels_spec.shape], labels_spec.dtype),
    )

    @tf.function(input_signature=stacked, jit_compile=jit_compile)
    def run_steps(images, labels):
        k = tf.shape(images)[0]
        losses = tf.TensorArray(tf.float32, size=k)
        accuracies = tf.TensorArray(tf.float32, size=k)
        for i in tf.range(k):
            loss, accuracy = step(images[i], labels[i])
            losses = losses.write(i, loss)
            accuracies = accuracies.write(i, accuracy)
        return losses.stack(), accuracies.stack()

    return run_steps


def _calls(n_examples, batch_size, steps_per_call):
    """(start, stop) of the examples of each call: `steps_per_call` whole minibatches at a
    time; the last, smaller minibatch (if any) alone, since a stack needs equal sizes."""
    whole = n_examples - n_examples % batch_size
    per_call = batch_size * steps_per_call
    bounds = [(start, min(start + per_call, whole)) for start in range(0, whole, per_call)]
    return bounds + ([(whole, n_examples)] if whole < n_examples else [])


def _minibatches(array, batch_size):
    """Consecutive examples -> a stack of minibatches: (k * batch, ...) -> (k, batch, ...)."""
    return array.reshape(-1, min(batch_size, len(array)), *array.shape[1:])


def _default_callbacks(callbacks, verbose):
    """The caller's callbacks, plus a progress bar and a classic line per epoch when verbose."""
    callbacks = list(callbacks or [])
    if verbose:
        callbacks.append(ProgressBar())
        if not any(isinstance(c, ClassicLog) for c in callbacks):
            callbacks.append(ClassicLog())
    return callbacks


def _batch_accuracy(labels, logits):
    predicted = tf.argmax(logits, axis=-1, output_type=labels.dtype)
    return tf.reduce_mean(tf.cast(predicted == labels, tf.float32))


def _record_epoch(history, epoch, n_examples, batch_size, losses, accuracies):
    """Add one epoch's steps to `history`; return the epoch's mean loss and accuracy as logs."""
    sizes = [min(batch_size, n_examples - start) for start in range(0, n_examples, batch_size)]
    history.steps["samples"] += (epoch * n_examples + np.cumsum(sizes)).tolist()
    history.steps["loss"] += losses
    history.steps["accuracy"] += accuracies
    logs = {
        "loss": float(np.average(losses, weights=sizes)),
        "accuracy": float(np.average(accuracies, weights=sizes)),
    }
    history.epochs["loss"].append(logs["loss"])
    history.epochs["accuracy"].append(logs["accuracy"])
    return logs


def _evaluate_batches(eval_step, x, y, batch_size=512):
    """Mean loss and accuracy over a whole array, in batches."""
    totals = np.zeros(2)
    for start in range(0, len(x), batch_size):
        loss, accuracy = eval_step(x[start : start + batch_size], y[start : start + batch_size])
        totals += np.array([float(loss), float(accuracy)]) * len(x[start : start + batch_size])
    return tuple(float(t) for t in totals / len(x))


def _resume(model, optimizer, checkpoint_dir, fresh_history):
    """Restore the latest checkpoint in `checkpoint_dir`, if any; return (history, epoch, save).

    The history travels inside the checkpoint, with the weights and the optimiser's state, so
    one write saves all three: an interruption at any moment leaves the last whole epoch.
    """
    optimizer.build(model.trainable_variables)
    epoch = tf.Variable(0, dtype=tf.int64, trainable=False)
    record = tf.Variable(fresh_history.to_json(), dtype=tf.string, trainable=False)
    checkpoint = tf.train.Checkpoint(
        model=model, optimizer=optimizer, epoch=epoch, history=record
    )
    manager = tf.train.CheckpointManager(checkpoint, str(checkpoint_dir), max_to_keep=1)
    if manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint).assert_existing_objects_matched()
    history = History.from_json(record.numpy().decode())
    if history.steps_per_epoch != fresh_history.steps_per_epoch:
        raise ValueError(
            f"the checkpoint in {checkpoint_dir} was made with {history.steps_per_epoch} steps "
            f"per epoch, this run has {fresh_history.steps_per_epoch}: resume with the same "
            "data and batch size, or use an empty folder"
        )

    def save(updated_history):
        epoch.assign(len(updated_history.epochs["loss"]))
        record.assign(updated_history.to_json())
        manager.save(checkpoint_number=int(epoch.numpy()))

    return history, int(epoch.numpy()), save
