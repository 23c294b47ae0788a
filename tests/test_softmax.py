import numpy as np
import pytest
import tensorflow as tf

from rnnlib.softmax import entropy, softmax


def test_softmax_matches_tensorflow_and_sums_to_one():
    logits = np.random.default_rng(0).normal(size=(5, 10)) * 3
    p = softmax(logits)
    np.testing.assert_allclose(p, tf.nn.softmax(logits).numpy(), rtol=1e-6)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)


def test_softmax_ignores_a_shift_and_survives_huge_logits():
    logits = np.array([1000.0, 1001.0, 1002.0])
    np.testing.assert_allclose(softmax(logits), softmax(logits - 1000.0))
    assert np.isfinite(softmax(logits)).all()


def test_softmax_along_another_axis():
    logits = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(softmax(logits, axis=0), softmax(logits.T).T)


@pytest.mark.parametrize("n", [2, 10, 50])
def test_entropy_of_uniform_is_log_n(n):
    assert entropy(np.full(n, 1 / n)) == pytest.approx(np.log(n))


def test_entropy_of_a_certain_guess_is_zero_not_nan():
    assert entropy(np.eye(4)).tolist() == [0.0] * 4


def test_entropy_per_row():
    p = np.array([[0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(entropy(p), [np.log(2), np.log(3)])
