"""The book's networks: the classic LSTM classifier, its relatives, and an LSTM written by hand.

Every model reads an image as `n_steps` rows of `n_input` pixels and returns logits (no softmax):
the loss applies the softmax itself, which is more accurate numerically.
"""
import keras
import tensorflow as tf

CELLS = ("lstm", "gru", "simple", "scratch")


@keras.saving.register_keras_serializable(package="rnnlib")
class ScratchLSTM(keras.layers.Layer):
    """An LSTM layer in plain TensorFlow ops, written to be read next to the equations.

    Weights use Keras' layout, so `set_weights(keras_lstm.get_weights())` copies a
    `keras.layers.LSTM` into it: `kernel` (inputs -> gates), `recurrent_kernel` (h -> gates) and
    `bias`, each holding the four gates side by side in Keras' order: input, forget, candidate, output.
    """

    def __init__(self, units, return_sequences=False, return_state=False, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.return_sequences = return_sequences
        self.return_state = return_state

    def build(self, input_shape):
        n_input, units = input_shape[-1], self.units
        self.kernel = self.add_weight(shape=(n_input, 4 * units), initializer="glorot_uniform",
                                      name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(units, 4 * units), initializer="orthogonal",
                                                name="recurrent_kernel")
        # Keras' unit_forget_bias: the forget gate starts at bias 1 so the cell remembers at first.
        forget_ones = tf.concat([tf.zeros(units), tf.ones(units), tf.zeros(2 * units)], axis=0)
        self.bias = self.add_weight(shape=(4 * units,), name="bias",
                                    initializer=lambda shape, dtype=None: tf.cast(forget_ones, dtype))

    def step(self, x_t, h, c):
        """One time step: returns the new hidden state, cell state, and the four gate activations."""
        z = tf.matmul(x_t, self.kernel) + tf.matmul(h, self.recurrent_kernel) + self.bias
        z_i, z_f, z_g, z_o = tf.split(z, 4, axis=-1)
        i = tf.sigmoid(z_i)           # input gate: how much of the candidate to write
        f = tf.sigmoid(z_f)           # forget gate: how much of the old cell state to keep
        g = tf.tanh(z_g)              # candidate values for the cell state
        o = tf.sigmoid(z_o)           # output gate: how much of the cell state to show
        c = f * c + i * g             # new cell state: keep some old, write some new
        h = o * tf.tanh(c)            # new hidden state: what the next step and the classifier see
        return h, c, {"input": i, "forget": f, "candidate": g, "output": o}

    def trace(self, inputs):
        """Run the layer and record every step: a dict of (batch, steps, units) tensors."""
        h, c = self.initial_state(inputs)
        record = {name: [] for name in ("input", "forget", "candidate", "output", "cell", "hidden")}
        for x_t in tf.unstack(tf.convert_to_tensor(inputs, self.compute_dtype), axis=1):
            h, c, gates = self.step(x_t, h, c)
            for name, value in {**gates, "cell": c, "hidden": h}.items():
                record[name].append(value)
        return {name: tf.stack(values, axis=1) for name, values in record.items()}

    def initial_state(self, inputs):
        zeros = tf.zeros((tf.shape(inputs)[0], self.units), dtype=self.compute_dtype)
        return zeros, zeros

    def call(self, inputs):
        h, c = self.initial_state(inputs)
        outputs = []
        for x_t in tf.unstack(inputs, axis=1):   # the 28 rows, one after another
            h, c, _ = self.step(x_t, h, c)
            outputs.append(h)
        result = tf.stack(outputs, axis=1) if self.return_sequences else h
        return [result, h, c] if self.return_state else result

    def compute_output_shape(self, input_shape):
        batch, steps = input_shape[0], input_shape[1]
        out = (batch, steps, self.units) if self.return_sequences else (batch, self.units)
        return [out, (batch, self.units), (batch, self.units)] if self.return_state else out

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "return_sequences": self.return_sequences, "return_state": self.return_state}


def recurrent_layer(cell, n_hidden, return_sequences=False, **layer_options):
    """One recurrent layer of the named kind."""
    if cell == "scratch":
        return ScratchLSTM(n_hidden, return_sequences=return_sequences, **layer_options)
    layers = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU, "simple": keras.layers.SimpleRNN}
    if cell not in layers:
        raise ValueError(f"unknown cell {cell!r}; choose one of {', '.join(CELLS)}")
    return layers[cell](n_hidden, return_sequences=return_sequences, **layer_options)


def build_model(cell="lstm", n_hidden=128, n_steps=28, n_input=28, n_classes=10,
                n_layers=1, bidirectional=False, name=None, **layer_options):
    """The classic network by default: one LSTM layer of 128 units, then a dense layer of logits.

    `n_layers` stacks recurrent layers; `bidirectional` reads the rows in both directions;
    other keyword arguments (say `dropout=0.2`) go to each recurrent layer.
    """
    for label, value in {"n_hidden": n_hidden, "n_steps": n_steps, "n_input": n_input,
                         "n_classes": n_classes, "n_layers": n_layers}.items():
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{label} must be a positive integer, got {value!r}")
    if bidirectional and cell == "scratch":
        raise ValueError("the scratch LSTM is unidirectional; use cell='lstm' with bidirectional=True")
    model = keras.Sequential(name=name or f"{cell}_{n_hidden}")
    model.add(keras.Input(shape=(n_steps, n_input), name="rows"))
    for depth in range(n_layers):
        layer = recurrent_layer(cell, n_hidden, return_sequences=depth < n_layers - 1, **layer_options)
        model.add(keras.layers.Bidirectional(layer) if bidirectional else layer)
    model.add(keras.layers.Dense(n_classes, name="logits"))
    return model


def build_cnn(n_classes=10, n_steps=28, n_input=28, filters=(16, 32), name="cnn"):
    """A small convolutional network on the same (steps, inputs) images, for comparison with the RNNs.

    It sees the whole image at once: each 3x3 filter looks at a patch of neighbouring pixels and is
    slid over every position, where an RNN reads one row after another and carries a state.
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
