"""TensorBoard logs for `rnnlib.train`, and a reader that turns them back into numbers.

The layout follows `keras.callbacks.TensorBoard`, so one TensorBoard page shows both kinds of runs:
a `train/` and a `validation/` folder, scalars `epoch_loss` and `epoch_accuracy` at step = epoch
(0-based), plus the per-minibatch `batch_loss` and `batch_accuracy` at step = training examples seen
(the x axis of `History.steps`). Once per epoch we also write histograms of every weight
(`<path>/histogram`, as Keras does) and of its gradient (`<path>/gradient`), which Keras 3's
callback does not offer: a vanishing or exploding gradient shows there first.
Writing summaries needs the `tensorboard` package.
"""
from pathlib import Path

import tensorflow as tf


class EpochLogger:
    """Called by `train` after each epoch to write that epoch's records to `logdir`.

    Gradients are those of the loss on a fixed probe batch (the first `probe_size` training
    examples), so that histograms from different epochs compare like with like.
    """

    def __init__(self, logdir, model, loss_fn, images, labels, probe_size=256):
        self.model, self.loss_fn = model, loss_fn
        self.probe = tf.constant(images[:probe_size]), tf.constant(labels[:probe_size])
        self.writers = {run: tf.summary.create_file_writer(str(Path(logdir) / run))
                        for run in ("train", "validation")}

    def __call__(self, history, epoch):
        per_epoch = len(history.steps["loss"]) // len(history.epochs["loss"])
        with self.writers["train"].as_default():
            for samples, loss, accuracy in zip(*(history.steps[key][-per_epoch:]
                                                 for key in ("samples", "loss", "accuracy"))):
                tf.summary.scalar("batch_loss", loss, step=samples)
                tf.summary.scalar("batch_accuracy", accuracy, step=samples)
            tf.summary.scalar("epoch_loss", history.epochs["loss"][-1], step=epoch)
            tf.summary.scalar("epoch_accuracy", history.epochs["accuracy"][-1], step=epoch)
            for variable, gradient in zip(self.model.trainable_variables, self.gradients()):
                tf.summary.histogram(f"{variable.path}/histogram", variable, step=epoch)
                tf.summary.histogram(f"{variable.path}/gradient", gradient, step=epoch)
        if history.epochs["val_loss"]:
            with self.writers["validation"].as_default():
                tf.summary.scalar("epoch_loss", history.epochs["val_loss"][-1], step=epoch)
                tf.summary.scalar("epoch_accuracy", history.epochs["val_accuracy"][-1], step=epoch)
        for writer in self.writers.values():
            writer.flush()          # a TensorBoard watching the folder sees the epoch at once

    def gradients(self):
        images, labels = self.probe
        with tf.GradientTape() as tape:
            loss = self.loss_fn(labels, self.model(images, training=True))
        return tape.gradient(loss, self.model.trainable_variables)


def read_logs(logdir):
    """Every summary under `logdir` as {run: {tag: (steps, values)}}, oldest first.

    A run is a subfolder (such as "train"); scalars come back as numbers (text as bytes), histograms
    as arrays of (left edge, right edge, count) rows. It reads the event files with TensorFlow alone.
    """
    logs = {}
    for path in sorted(Path(logdir).rglob("events.out.tfevents.*")):
        run = path.parent.relative_to(logdir).as_posix()
        for record in tf.data.TFRecordDataset(str(path)):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                array = tf.make_ndarray(value.tensor)
                steps, values = logs.setdefault(run, {}).setdefault(value.tag, ([], []))
                steps.append(event.step)
                values.append(array.item() if array.ndim == 0 else array)
    return logs

