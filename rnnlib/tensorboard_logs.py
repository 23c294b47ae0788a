"""TensorBoard logs: the gradient histograms Keras' callback lacks, and a reader for any log.

`keras.callbacks.TensorBoard` works with `rnnlib.train` as with `model.fit`: scalars per epoch
(`epoch_loss`, `epoch_accuracy` in `train/` and `validation/`), per minibatch with
`update_freq="batch"`, and a histogram of every weight with `histogram_freq=1`. What Keras 3's
callback does not write is the gradient, where a vanishing or exploding gradient shows first:
`GradientHistograms` adds it, in the same folder and layout. `read_logs` turns any of these logs
back into numbers, with TensorFlow alone.
"""

from pathlib import Path

import keras
import tensorflow as tf


class GradientHistograms(keras.callbacks.Callback):
    """After each epoch, a histogram of the gradient of every weight (`<path>/gradient`).

    The gradient is that of the loss on a fixed probe batch, so that histograms from different
    epochs compare like with like.
    """

    def __init__(self, log_dir, images, labels):
        super().__init__()
        self.probe = tf.constant(images), tf.constant(labels)
        self.writer = tf.summary.create_file_writer(str(Path(log_dir) / "train"))
        self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def on_epoch_end(self, epoch, logs=None):
        images, labels = self.probe
        with tf.GradientTape() as tape:
            loss = self.loss_fn(labels, self.model(images, training=True))
        gradients = tape.gradient(loss, self.model.trainable_variables)
        with self.writer.as_default():
            for variable, gradient in zip(self.model.trainable_variables, gradients):
                tf.summary.histogram(f"{variable.path}/gradient", gradient, step=epoch)
        self.writer.flush()  # a TensorBoard watching the folder sees the epoch at once

    def on_train_end(self, logs=None):
        self.writer.close()


def read_logs(log_dir):
    """Every summary under `log_dir` as {run: {tag: (steps, values)}}, oldest first.

    A run is a subfolder (such as "train"); scalars come back as numbers (text as bytes),
    histograms as arrays of (left edge, right edge, count) rows.
    """
    logs = {}
    for path in sorted(Path(log_dir).rglob("events.out.tfevents.*")):
        run = path.parent.relative_to(log_dir).as_posix()
        for record in tf.data.TFRecordDataset(str(path)):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                array = tf.make_ndarray(value.tensor)
                steps, values = logs.setdefault(run, {}).setdefault(value.tag, ([], []))
                steps.append(event.step)
                values.append(array.item() if array.ndim == 0 else array)
    return logs
