"""The classic 2017 TensorFlow 1 program, written for this book, running on today's TensorFlow.

TF1's LSTM cells (`tf.compat.v1.nn.rnn_cell.BasicLSTMCell`) need Keras 2, the `tf-keras`
package, and TensorFlow only routes to it when TF_USE_LEGACY_KERAS=1 is set. Each of
TensorFlow's Keras entry points (`tf.keras`, `tf.compat.v1.nn.rnn_cell`, ...) reads the variable
when it is first used, and keeps its choice for the life of the process. So the program only
ever runs in a process of its own, which sets the variable before it imports TensorFlow:
`run()` starts `python -m rnnlib.legacy_tf1`. The parent, and every chapter, keeps Keras 3.

    python -m rnnlib.legacy_tf1 --training-iters 40000   # the classic log, then a RESULT line

`run_cell` runs TF1's `BasicLSTMCell` alone, in such a child, on weights you give it, so that a
chapter can compare it with Keras' LSTM once `basic_lstm_weights` has reordered Keras' weights.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

LEGACY_VARIABLE = "TF_USE_LEGACY_KERAS"
RESULT_PREFIX = "RESULT "


def run(
    training_iters, learning_rate=0.001, batch_size=128, display_step=10, seed=0, timeout=900
):
    """Run the TF1 program in a child process; return (its printed lines, its result dict)."""
    command = [
        sys.executable,
        "-m",
        "rnnlib.legacy_tf1",
        "--training-iters",
        str(training_iters),
        "--learning-rate",
        str(learning_rate),
        "--batch-size",
        str(batch_size),
        "--display-step",
        str(display_step),
        "--seed",
        str(seed),
    ]
    lines = _child(command, timeout).splitlines()
    result = json.loads(
        next(line for line in lines if line.startswith(RESULT_PREFIX))[len(RESULT_PREFIX) :]
    )
    return [line for line in lines if not line.startswith(RESULT_PREFIX)], result


def _child(command, timeout):
    """Run `command` in a quiet child process; return its stdout, or raise with its stderr."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TQDM_DISABLE": "1"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(
            f"the TF1 program failed (exit {done.returncode}):\n{done.stderr[-3000:]}"
        )
    return done.stdout


def basic_lstm_weights(kernel, recurrent_kernel, bias, forget_bias=1.0):
    """Keras LSTM weights as TF1's `BasicLSTMCell` holds them: (one stacked kernel, bias).

    The old cell multiplies [x_t, h_{t-1}] by one matrix and cuts its columns as i, j (its name
    for the candidate), f, o; Keras keeps two matrices and orders i, f, c, o. It also adds the
    constant `forget_bias` to its trainable forget bias at every step, where Keras starts that
    bias at 1 instead. With `forget_bias=0` the same function maps Keras' gradients.
    """

    def tf1_order(columns):
        i, f, c, o = np.split(columns, 4, axis=-1)
        return np.concatenate([i, c, f, o], axis=-1)

    i, f, c, o = np.split(bias, 4)
    tf1_bias = tf1_order(np.concatenate([i, f - forget_bias, c, o]))
    return tf1_order(np.concatenate([kernel, recurrent_kernel], axis=0)), tf1_bias


def run_cell(kernel, bias, inputs, probe, forget_bias=1.0, timeout=300):
    """Run `BasicLSTMCell(forget_bias)` with this kernel and bias over `inputs`, in a child.

    `inputs` is (batch, steps, features). Returns the hidden state after every step,
    (batch, steps, units), and the gradient of sum(outputs * probe) with respect to the kernel
    and the bias: what the cell computes, and what training would change.
    """
    batch, steps, features = np.shape(inputs)
    units = len(bias) // 4
    expected = {
        "kernel": (features + units, 4 * units),
        "bias": (4 * units,),
        "probe": (batch, steps, units),
    }
    for name, array in (("kernel", kernel), ("bias", bias), ("probe", probe)):
        if np.shape(array) != expected[name]:
            raise ValueError(
                f"{name} has shape {np.shape(array)}; for inputs of {features} features and "
                f"{units} units it must be {expected[name]} (see basic_lstm_weights)"
            )
    with tempfile.TemporaryDirectory() as folder:
        given, answer = Path(folder) / "given.npz", Path(folder) / "answer.npz"
        arrays = dict(kernel=kernel, bias=bias, inputs=inputs, probe=probe)
        np.savez(given, **{name: np.asarray(a, np.float32) for name, a in arrays.items()})
        command = [sys.executable, "-m", "rnnlib.legacy_tf1", "--cell", str(given)]
        _child(command + ["--forget-bias", str(forget_bias)], timeout)
        with np.load(answer) as result:
            return result["outputs"], result["d_kernel"], result["d_bias"]


def cell_program(kernel, bias, inputs, probe, forget_bias):
    """BasicLSTMCell and static_rnn in a TF1 graph, with the given weights; see `run_cell`."""
    import tensorflow as tf

    v1 = tf.compat.v1
    v1.disable_eager_execution()
    x = v1.placeholder(tf.float32, inputs.shape)
    cell = v1.nn.rnn_cell.BasicLSTMCell(len(bias) // 4, forget_bias=forget_bias)
    outputs, _ = v1.nn.static_rnn(cell, tf.unstack(x, inputs.shape[1], 1), dtype=tf.float32)
    outputs = tf.stack(outputs, axis=1)
    cell_kernel, cell_bias = cell.trainable_weights
    gradients = tf.gradients(tf.reduce_sum(outputs * probe), [cell_kernel, cell_bias])
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        sess.run([cell_kernel.assign(kernel), cell_bias.assign(bias)])
        values, (d_kernel, d_bias) = sess.run([outputs, gradients], feed_dict={x: inputs})
    return dict(outputs=values, d_kernel=d_kernel, d_bias=d_bias)


class Batches:
    """`mnist.train.next_batch` of old: flat images and one-hot labels, reshuffled each epoch.

    The shuffle of epoch `e` is the one `rnnlib.train` uses: both programs see the same order.
    """

    def __init__(self, images, labels, n_classes, seed):
        self.images, self.one_hot = images.reshape(len(images), -1), np.eye(n_classes)[labels]
        self.seed, self.epoch = seed, 0
        self.order = self.shuffle(0)

    def shuffle(self, epoch):
        return np.random.default_rng([self.seed, epoch]).permutation(len(self.images))

    def next_batch(self, batch_size):
        while len(self.order) < batch_size:  # a batch may run over into the next epoch
            self.epoch += 1
            self.order = np.concatenate([self.order, self.shuffle(self.epoch)])
        taken, self.order = self.order[:batch_size], self.order[batch_size:]
        return self.images[taken], self.one_hot[taken]


def classic_program(dataset, training_iters, learning_rate, batch_size, display_step, seed):
    """The TF1 graph program: placeholders, BasicLSTMCell, static_rnn, Adam and a Session."""
    import tensorflow as tf

    v1 = tf.compat.v1
    v1.disable_eager_execution()
    v1.set_random_seed(seed)

    n_input, n_steps, n_hidden, n_classes = 28, 28, 128, 10
    x = v1.placeholder("float", [None, n_steps, n_input])
    y = v1.placeholder("float", [None, n_classes])
    weights = {"out": tf.Variable(v1.random_normal([n_hidden, n_classes]))}
    biases = {"out": tf.Variable(v1.random_normal([n_classes]))}

    def RNN(x, weights, biases):
        x = tf.unstack(x, n_steps, 1)  # a list of 28 tensors (batch, 28)
        lstm_cell = v1.nn.rnn_cell.BasicLSTMCell(n_hidden, forget_bias=1.0)
        # The cell's default initialiser ignores the graph seed today: a seeded one repeats.
        with v1.variable_scope(
            "rnn", initializer=v1.glorot_uniform_initializer(seed=seed)
        ) as scope:
            outputs, states = v1.nn.static_rnn(lstm_cell, x, dtype=tf.float32, scope=scope)
        return tf.matmul(outputs[-1], weights["out"]) + biases["out"]

    pred = RNN(x, weights, biases)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
    optimizer = v1.train.AdamOptimizer(learning_rate=learning_rate).minimize(cost)
    correct_pred = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    init = v1.global_variables_initializer()

    mnist_train = Batches(dataset.x_train, dataset.y_train, n_classes, seed)
    test_x, test_y = dataset.x_test, np.eye(n_classes)[dataset.y_test]
    started = time.perf_counter()
    with v1.Session() as sess:
        sess.run(init)
        step = 1
        while step * batch_size < training_iters:
            batch_x, batch_y = mnist_train.next_batch(batch_size)
            batch_x = batch_x.reshape((batch_size, n_steps, n_input))
            sess.run(optimizer, feed_dict={x: batch_x, y: batch_y})
            if step % display_step == 0:
                acc, loss = sess.run([accuracy, cost], feed_dict={x: batch_x, y: batch_y})
                print(
                    f"Iter {step * batch_size}, Minibatch Loss= {loss:.6f}, "
                    f"Training Accuracy= {acc:.5f}",
                    flush=True,
                )
            step += 1
        print("Optimization Finished!")
        seconds = time.perf_counter() - started
        test_len = 128
        first_128 = sess.run(accuracy, feed_dict={x: test_x[:test_len], y: test_y[:test_len]})
        print("Testing Accuracy:", first_128)
        hits = sum(
            sess.run(accuracy, feed_dict={x: test_x[i : i + 1000], y: test_y[i : i + 1000]})
            * len(test_x[i : i + 1000])
            for i in range(0, len(test_x), 1000)
        )
        variables = {v.name: v.shape.as_list() for v in v1.trainable_variables()}
    return {
        "test_accuracy": float(hits / len(test_x)),
        "test_accuracy_first_128": float(first_128),
        "steps": step - 1,
        "samples": (step - 1) * batch_size,
        "seconds": seconds,
        "variables": variables,
        "n_params": int(sum(np.prod(s) for s in variables.values())),
        "tensorflow": tf.__version__,
        "tf_keras_lstm": tf.keras.layers.LSTM.__module__,
        LEGACY_VARIABLE: os.environ.get(LEGACY_VARIABLE),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--training-iters", type=int, default=100000)
    parser.add_argument("--learning-rate", type=float, default=0.001)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--display-step", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cell", help="run BasicLSTMCell on this .npz (see run_cell) instead")
    parser.add_argument("--forget-bias", type=float, default=1.0)
    args = parser.parse_args(argv)
    if "tensorflow" in sys.modules:
        raise RuntimeError(
            f"TensorFlow is already imported: {LEGACY_VARIABLE} would come too late"
        )
    os.environ[LEGACY_VARIABLE] = "1"  # this process only; it ends with the program

    if args.cell:
        with np.load(args.cell) as given:
            answer = cell_program(**given, forget_bias=args.forget_bias)
        np.savez(Path(args.cell).with_name("answer.npz"), **answer)  # where run_cell reads it
        return

    from rnnlib.data import load_dataset

    result = classic_program(
        load_dataset(),
        args.training_iters,
        args.learning_rate,
        args.batch_size,
        args.display_step,
        args.seed,
    )
    print(RESULT_PREFIX + json.dumps(result))


if __name__ == "__main__":
    main()
