"""The training loop, written out so every one of the seven training steps has a line to point at.

    1. take an example (a minibatch) from the data set
    2. the network computes on it with its current (at first random) variables
    3. a predicted result comes out (logits)
    4. comparing it with the expected label gives an error (the loss)
    5. the error flows back along the same path (gradients) and the variables are adjusted
    6. steps 1-5 repeat, epoch after epoch, until the variables are right
    7. the trained variables predict new, unseen input (see `rnnlib.evaluate`)
"""
import dataclasses
import json
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from tqdm.auto import tqdm

from rnnlib.tensorboard import EpochLogger
from rnnlib.validate import check_model, check_pair


@dataclasses.dataclass
class History:
    """What happened during training: one entry per step and one per epoch."""
    steps: dict = dataclasses.field(
        default_factory=lambda: {"samples": [], "loss": [], "accuracy": []})
    epochs: dict = dataclasses.field(
        default_factory=lambda: {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": [],
                                 "seconds": []})

    def save(self, path):
        Path(path).write_text(json.dumps(dataclasses.asdict(self)))

    @classmethod
    def load(cls, path):
        return cls(**json.loads(Path(path).read_text()))


def log_line(samples, loss, accuracy):
    """The classic tutorial's progress line."""
    return f"Iter {samples}, Minibatch Loss= {loss:.6f}, Training Accuracy= {accuracy:.5f}"


def epochs_for_budget(dataset, samples):
    """Epochs needed to show the network about `samples` examples: the same budget on any data set."""
    return max(1, round(samples / len(dataset.x_train)))


def train(model, dataset, epochs=10, batch_size=128, learning_rate=1e-3, display_step=None, seed=0,
          checkpoint_dir=None, optimizer=None, validation_data=None, verbose=True, pixel_range=(0.0, 1.0),
          tensorboard_dir=None):
    """Train `model` on `dataset.x_train` with Adam and cross-entropy; return a `History`.

    `display_step` prints the classic log line every that many steps (default: once per epoch).
    `checkpoint_dir` saves the state after every epoch; calling `train` again with the same folder
    resumes from there up to `epochs` in total, ending with the same weights as an unbroken run.
    `optimizer` replaces the default `keras.optimizers.Adam(learning_rate)` (say, with clipping).
    `validation_data=(x, y)` is evaluated after each epoch (the held-out curve).
    `tensorboard_dir` writes TensorBoard logs there after each epoch (see `rnnlib.tensorboard`).
    """
    if not all(hasattr(dataset, a) for a in ("x_train", "y_train", "n_classes")):
        raise TypeError(f"dataset must be an rnnlib.data.Dataset, got {type(dataset).__name__}; "
                        "load one with load_dataset() or wrap arrays in Dataset(...)")
    n_steps, n_input = check_model(model, dataset.n_classes)
    x, y = check_pair(dataset.x_train, dataset.y_train, dataset.n_classes, n_steps=n_steps,
                      n_input=n_input, pixel_range=pixel_range)
    if validation_data is not None:
        validation_data = check_pair(*validation_data, dataset.n_classes, n_steps=n_steps,
                                     n_input=n_input, pixel_range=pixel_range)
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")

    optimizer = optimizer or keras.optimizers.Adam(learning_rate)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    spec = (tf.TensorSpec([None, x.shape[1], x.shape[2]], tf.float32), tf.TensorSpec([None], tf.int64))

    @tf.function(input_signature=spec)
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            logits = model(images, training=True)               # steps 2-3: compute, predict
            loss = loss_fn(labels, logits)                      # step 4: compare -> error
        gradients = tape.gradient(loss, model.trainable_variables)  # step 5: error flows back...
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))  # ...variables adjusted
        return loss, batch_accuracy(labels, logits)

    @tf.function(input_signature=spec)
    def eval_step(images, labels):
        logits = model(images, training=False)
        return loss_fn(labels, logits), batch_accuracy(labels, logits)

    history, start_epoch, save = History(), 0, None
    if checkpoint_dir is not None:
        history, start_epoch, save = resume(model, optimizer, checkpoint_dir)
    log = EpochLogger(tensorboard_dir, model, loss_fn, x, y) if tensorboard_dir is not None else None

    steps_per_epoch = -(-len(x) // batch_size)
    display_step = display_step or steps_per_epoch
    bar = tqdm(total=max(0, epochs - start_epoch) * steps_per_epoch, unit="step", leave=False,
               **({} if verbose else {"disable": True}))
    for epoch in range(start_epoch, epochs):                     # step 6: repeat
        started = time.perf_counter()
        order = np.random.default_rng([seed, epoch]).permutation(len(x))
        # Plain NumPy slices: building a tf.data pipeline every epoch cost a third of the epoch.
        x_epoch, y_epoch = x[order], y[order]
        losses, accuracies, sizes = [], [], []
        for step, start in enumerate(range(0, len(x), batch_size), 1):
            images = x_epoch[start:start + batch_size]             # step 1: take examples
            labels = y_epoch[start:start + batch_size]
            loss, accuracy = train_step(images, labels)
            losses.append(loss), accuracies.append(accuracy), sizes.append(len(labels))
            bar.update()
            if verbose and (epoch * steps_per_epoch + step) % display_step == 0:
                seen = epoch * len(x) + min(step * batch_size, len(x))
                bar.write(log_line(seen, float(loss), float(accuracy)))
        record_epoch(history, epoch, len(x), batch_size, losses, accuracies, sizes)
        if validation_data is not None:
            val_loss, val_accuracy = evaluate_batches(eval_step, *validation_data, batch_size=512)
            history.epochs["val_loss"].append(val_loss)
            history.epochs["val_accuracy"].append(val_accuracy)
        history.epochs["seconds"].append(time.perf_counter() - started)
        if log:
            log(history, epoch)
        if save:
            save(history)
    bar.close()
    return history


def batch_accuracy(labels, logits):
    predicted = tf.argmax(logits, axis=-1, output_type=labels.dtype)
    return tf.reduce_mean(tf.cast(predicted == labels, tf.float32))


def record_epoch(history, epoch, n_examples, batch_size, losses, accuracies, sizes):
    losses, accuracies = np.array(losses, dtype=float), np.array(accuracies, dtype=float)
    history.steps["samples"] += [epoch * n_examples + min((i + 1) * batch_size, n_examples)
                                 for i in range(len(losses))]
    history.steps["loss"] += losses.tolist()
    history.steps["accuracy"] += accuracies.tolist()
    history.epochs["loss"].append(float(np.average(losses, weights=sizes)))
    history.epochs["accuracy"].append(float(np.average(accuracies, weights=sizes)))


def evaluate_batches(eval_step, x, y, batch_size):
    """Mean loss and accuracy over a whole array, in batches."""
    totals = np.zeros(2)
    for start in range(0, len(x), batch_size):
        loss, accuracy = eval_step(x[start:start + batch_size], y[start:start + batch_size])
        totals += np.array([float(loss), float(accuracy)]) * len(x[start:start + batch_size])
    return tuple(float(t) for t in totals / len(x))


def resume(model, optimizer, checkpoint_dir):
    """Restore the latest checkpoint in `checkpoint_dir`, if any; return (history, epoch, save)."""
    folder = Path(checkpoint_dir)
    optimizer.build(model.trainable_variables)
    epoch = tf.Variable(0, dtype=tf.int64, trainable=False)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
    manager = tf.train.CheckpointManager(checkpoint, str(folder), max_to_keep=1)
    history = History()
    if manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint).assert_existing_objects_matched()
        history = History.load(folder / "history.json")

    def save(updated_history):
        epoch.assign_add(1)
        manager.save()
        updated_history.save(folder / "history.json")

    return history, int(epoch.numpy()), save
