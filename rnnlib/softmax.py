"""Softmax and entropy in NumPy: how logits become probabilities, and how spread out those are.

TensorFlow has both (`tf.nn.softmax`, and entropy through the losses); these few lines exist so
that the book can show the arithmetic itself and compare it with TensorFlow's answer.
"""

import numpy as np


def softmax(logits, axis=-1):
    """exp(z) / sum(exp(z)) along `axis`; subtracting the max first keeps exp from overflow."""
    z = np.asarray(logits, dtype=np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def entropy(probabilities, axis=-1):
    """-sum p ln p in nats: ln(n) for a uniform guess over n classes, 0 for a certain one."""
    p = np.asarray(probabilities, dtype=np.float64)
    return -(p * np.log(np.where(p > 0, p, 1.0))).sum(axis=axis)
