"""The book's networks: the classic LSTM classifier, its relatives, and three cells by hand.

Every model reads an image as `n_steps` rows of `n_input` pixels and returns logits (no
softmax): the loss applies the softmax itself, which is more accurate numerically.

`ScratchRNN`, `ScratchLSTM` and `ScratchGRU` compute what `keras.layers.SimpleRNN`, `LSTM` and
`GRU` compute, with the same weights in the same layout (the tests prove it), in plain
TensorFlow operations that read like the book's equations. The book writes vectors as rows, so
one step of the plain cell is h_t = tanh(x_t W + h_{t-1} U + b).
"""

import keras
import tensorflow as tf

CELLS = ("lstm", "gru", "simple", "scratch", "scratch_gru", "scratch_simple")


class ScratchRecurrent(keras.layers.Layer):
    """What the hand-written cells share: run `step` once per time step, from zero states.

    A subclass names the states it carries in `state_names` (the hidden state first), makes its
    weights in `build`, and computes one time step in `step(x_t, states)`, which returns the new
    states and a dict of what it computed on the way (the gates), for `trace`.
    """

    state_names = ("hidden",)

    def __init__(self, units, return_sequences=False, return_state=False, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.return_sequences = return_sequences
        self.return_state = return_state

    def add_weights(self, n_input, n_blocks, bias_shape):
        """kernel (x_t -> blocks), recurrent_kernel (h -> blocks), bias: as Keras makes them."""
        self.kernel = self.add_weight(
            shape=(n_input, n_blocks * self.units), initializer="glorot_uniform", name="kernel"
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, n_blocks * self.units),
            initializer="orthogonal",
            name="recurrent_kernel",
        )
        self.bias = self.add_weight(shape=bias_shape, initializer="zeros", name="bias")

    def initial_states(self, inputs):
        zeros = tf.zeros((tf.shape(inputs)[0], self.units), dtype=self.compute_dtype)
        return (zeros,) * len(self.state_names)

    def call(self, inputs):
        states, outputs = self.initial_states(inputs), []
        for x_t in tf.unstack(inputs, axis=1):  # the rows, one after another
            states, _ = self.step(x_t, states)
            outputs.append(states[0])
        result = tf.stack(outputs, axis=1) if self.return_sequences else states[0]
        return [result, *states] if self.return_state else result

    def trace(self, inputs):
        """Run the layer and record every step: a dict of (batch, steps, units) tensors."""
        inputs = tf.convert_to_tensor(inputs, self.compute_dtype)
        states, record = self.initial_states(inputs), {}
        for x_t in tf.unstack(inputs, axis=1):
            states, computed = self.step(x_t, states)
            for name, value in {**computed, **dict(zip(self.state_names, states))}.items():
                record.setdefault(name, []).append(value)
        return {name: tf.stack(values, axis=1) for name, values in record.items()}

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        out = (batch, steps, self.units) if self.return_sequences else (batch, self.units)
        states = [(batch, self.units)] * len(self.state_names)
        return [out, *states] if self.return_state else out

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
        }


@keras.saving.register_keras_serializable(package="rnnlib")
class ScratchRNN(ScratchRecurrent):
    """The plain cell of `keras.layers.SimpleRNN`: h_t = tanh(x_t W + h_{t-1} U + b)."""

    def build(self, input_shape):
        self.add_weights(input_shape[-1], 1, (self.units,))

    def step(self, x_t, states):
        """One time step: the new hidden state, from this row and the last hidden state."""
        (h,) = states
        h = tf.tanh(x_t @ self.kernel + h @ self.recurrent_kernel + self.bias)
        return (h,), {}


@keras.saving.register_keras_serializable(package="rnnlib")
class ScratchLSTM(ScratchRecurrent):
    """An LSTM layer in plain TensorFlow ops, written to be read next to the equations.

    Weights use Keras' layout, so `set_weights(keras_lstm.get_weights())` copies a
    `keras.layers.LSTM` into it: `kernel` (x_t -> blocks), `recurrent_kernel` (h -> blocks) and
    `bias`, each holding four blocks side by side in Keras' order: the input gate i, the forget
    gate f, the candidate g and the output gate o.
    """

    state_names = ("hidden", "cell")

    def build(self, input_shape):
        self.add_weights(input_shape[-1], 4, (4 * self.units,))
        # Keras' unit_forget_bias: the forget gate starts at bias 1, so the cell remembers.
        zeros, ones = tf.zeros(self.units), tf.ones(self.units)
        self.bias.assign(tf.concat([zeros, ones, zeros, zeros], axis=0))

    def step(self, x_t, states):
        """One time step: the new (h, c), and the gates and candidate computed on the way."""
        h, c = states
        z = x_t @ self.kernel + h @ self.recurrent_kernel + self.bias
        z_i, z_f, z_g, z_o = tf.split(z, 4, axis=-1)
        i = tf.sigmoid(z_i)  # input gate: how much of the candidate to write
        f = tf.sigmoid(z_f)  # forget gate: how much of the old cell state to keep
        g = tf.tanh(z_g)  # candidate values for the cell state (not a gate)
        o = tf.sigmoid(z_o)  # output gate: how much of the cell state to show
        c = f * c + i * g  # new cell state: keep some old, write some new
        h = o * tf.tanh(c)  # new hidden state: what the next step and the classifier see
        return (h, c), {"input": i, "forget": f, "candidate": g, "output": o}


@keras.saving.register_keras_serializable(package="rnnlib")
class ScratchGRU(ScratchRecurrent):
    """A GRU layer in plain TensorFlow ops, as `keras.layers.GRU` (default reset_after=True).

    Keras' layout: `kernel` and `recurrent_kernel` hold three blocks, the update gate z, the
    reset gate r and the candidate n; `bias` has two rows, one added to x_t W and one to h U.
    """

    def build(self, input_shape):
        self.add_weights(input_shape[-1], 3, (2, 3 * self.units))

    def step(self, x_t, states):
        """One time step: the new hidden state, and the gates and the candidate on the way."""
        (h,) = states
        x_z, x_r, x_n = tf.split(x_t @ self.kernel + self.bias[0], 3, axis=-1)
        h_z, h_r, h_n = tf.split(h @ self.recurrent_kernel + self.bias[1], 3, axis=-1)
        z = tf.sigmoid(x_z + h_z)  # update gate: how much of the old state to keep
        r = tf.sigmoid(x_r + h_r)  # reset gate: how much of the old state the candidate sees
        n = tf.tanh(x_n + r * h_n)  # candidate state (not a gate)
        h = z * h + (1 - z) * n  # new state: a blend of the old state and the candidate
        return (h,), {"update": z, "reset": r, "candidate": n}


def recurrent_layer(cell, n_hidden, return_sequences=False, **layer_options):
    """One recurrent layer of the named kind."""
    layers = {
        "lstm": keras.layers.LSTM,
        "gru": keras.layers.GRU,
        "simple": keras.layers.SimpleRNN,
        "scratch": ScratchLSTM,
        "scratch_gru": ScratchGRU,
        "scratch_simple": ScratchRNN,
    }
    if cell not in layers:
        raise ValueError(f"unknown cell {cell!r}; choose one of {', '.join(CELLS)}")
    return layers[cell](n_hidden, return_sequences=return_sequences, **layer_options)


def build_model(
    cell="lstm",
    n_hidden=128,
    n_steps=28,
    n_input=28,
    n_classes=10,
    n_layers=1,
    bidirectional=False,
    name=None,
    standardize=None,
    max_shift=0,
    **layer_options,
):
    """The classic network by default: an LSTM layer of 128 units, then a dense layer of logits.

    `n_layers` stacks recurrent layers; `bidirectional` reads the rows in both directions;
    `standardize=(mean, std)` first maps pixels to (x - mean) / std, inside the model, so that
    it still takes [0, 1] images; `max_shift` shifts each training image by up to that many
    pixels (`RandomShift`); other keyword arguments (say `dropout=0.2`) go to each recurrent
    layer.
    """
    sizes = dict(
        n_hidden=n_hidden,
        n_steps=n_steps,
        n_input=n_input,
        n_classes=n_classes,
        n_layers=n_layers,
    )
    for label, value in sizes.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{label} must be a positive integer, got {value!r}")
    if bidirectional and cell.startswith("scratch"):
        raise ValueError(
            "the scratch cells are unidirectional; use a Keras cell ('lstm', 'gru', 'simple') "
            "with bidirectional=True"
        )
    model = keras.Sequential(name=name or f"{cell}_{n_hidden}")
    model.add(keras.Input(shape=(n_steps, n_input), name="rows"))
    if max_shift:
        model.add(RandomShift(max_shift, name="random_shift"))
    if standardize is not None:
        mean, std = standardize
        model.add(
            keras.layers.Normalization(
                axis=None, mean=mean, variance=std**2, name="standardize"
            )
        )
    for depth in range(n_layers):
        more_to_come = depth < n_layers - 1
        layer = recurrent_layer(cell, n_hidden, return_sequences=more_to_come, **layer_options)
        model.add(keras.layers.Bidirectional(layer) if bidirectional else layer)
    model.add(keras.layers.Dense(n_classes, name="logits"))
    return model


def build_cnn(n_classes=10, n_steps=28, n_input=28, filters=(16, 32), name="cnn"):
    """A small convolutional network on the same images, for comparison with the RNNs.

    It sees the whole image at once: each 3x3 filter looks at a patch of neighbouring pixels and
    is slid over every position, where an RNN reads one row after another and carries a state.
    """
    model = keras.Sequential(name=name)
    model.add(keras.Input(shape=(n_steps, n_input), name="rows"))
    model.add(keras.layers.Reshape((n_steps, n_input, 1), name="one_channel"))
    for i, n_filters in enumerate(filters, 1):
        model.add(keras.layers.Conv2D(n_filters, 3, activation="relu", name=f"conv{i}"))
        model.add(keras.layers.MaxPooling2D(2, name=f"pool{i}"))
    model.add(keras.layers.Flatten(name="flatten"))
    model.add(keras.layers.Dense(n_classes, name="logits"))
    return model


@keras.saving.register_keras_serializable(package="rnnlib")
class RandomShift(keras.layers.Layer):
    """While training, shift each image by up to `max_shift` pixels up, down, left or right.

    A digit moved by a pixel or two is the same digit: shifted copies teach the network that,
    where a small training set alone cannot. At prediction time the layer does nothing.
    """

    def __init__(self, max_shift=2, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.max_shift = max_shift
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=False):
        if not training:
            return images
        m, rows, cols = self.max_shift, images.shape[1], images.shape[2]
        padded = tf.pad(images, [[0, 0], [m, m], [m, m]])  # zeros, i.e. blank paper, come in
        offsets = keras.random.randint(
            (tf.shape(images)[0], 2), 0, 2 * m + 1, seed=self.seed_generator
        )
        row_index = offsets[:, :1] + tf.range(rows)[None]  # per image: which rows to keep
        col_index = offsets[:, 1:] + tf.range(cols)[None]
        shifted = tf.gather(padded, row_index, axis=1, batch_dims=1)
        return tf.gather(shifted, col_index, axis=2, batch_dims=1)

    def get_config(self):
        return {**super().get_config(), "max_shift": self.max_shift}
