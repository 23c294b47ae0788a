"""The book's recommended recipe for training an RNN classifier, measured in Part III.

The classic tutorial trains with a constant learning rate of 1e-3 and batches of 128. What its
chapter "Recommendations for training an RNN" found to work better on the same network: a larger
learning rate that decays along a cosine to zero, smaller batches, and gradients clipped to norm 1,
so that the larger steps never blow up.
"""
import keras

from rnnlib.model import build_model

LEARNING_RATE = 3e-3
BATCH_SIZE = 64
CLIPNORM = 1.0


def steps_for(dataset, epochs, batch_size=BATCH_SIZE):
    """How many optimiser steps `epochs` epochs take: the length of the cosine schedule."""
    return epochs * -(-len(dataset.x_train) // batch_size)


def recommended_optimizer(steps, learning_rate=LEARNING_RATE, clipnorm=CLIPNORM):
    """Adam whose learning rate falls from `learning_rate` to 0 along a cosine over `steps` steps.

    Large steps early explore quickly, small steps late settle into a minimum; clipping the
    gradient norm keeps a rare exploding gradient from throwing the weights away.
    """
    return keras.optimizers.Adam(cosine_schedule(steps, learning_rate), clipnorm=clipnorm)


def cosine_schedule(steps, learning_rate=LEARNING_RATE):
    """A learning rate that starts at `learning_rate` and reaches 0 after `steps` steps."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps must be a positive integer (the length of training), got {steps!r}")
    return keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=steps)


def build_recommended_model(n_classes=10, bidirectional=False, n_hidden=128, **options):
    """The classic LSTM(128) network. `bidirectional=True` also reads the rows bottom to top, at
    twice the cost; `bench/accuracy.py` uses it to reach its floors (the plain LSTM fell short)."""
    name = "recommended_bilstm" if bidirectional else "recommended_lstm"
    return build_model("lstm", n_hidden, n_classes=n_classes, bidirectional=bidirectional,
                       name=name, **options)
