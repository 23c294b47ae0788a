"""The recommended recipe: its schedule decays to zero over the given steps, and it trains."""
import keras
import numpy as np
import pytest

from rnnlib.data import Dataset, DIGITS
from rnnlib.recommended import (BATCH_SIZE, LEARNING_RATE, build_recommended_model,
                            cosine_schedule, recommended_optimizer, steps_for)
from rnnlib.train import train


def tiny_dataset(n=64):
    rng = np.random.default_rng(0)
    x = rng.random((n, 28, 28), dtype=np.float32)
    return Dataset("tiny", x, np.arange(n) % 10, x[:16], np.arange(16) % 10, DIGITS, "random")


def test_steps_for_counts_partial_batches():
    data = tiny_dataset(65)
    assert steps_for(data, epochs=3, batch_size=64) == 6
    assert steps_for(data, epochs=1) == -(-65 // BATCH_SIZE)


def test_learning_rate_follows_a_cosine_to_zero():
    schedule = cosine_schedule(100)
    assert float(schedule(0)) == pytest.approx(LEARNING_RATE)
    assert float(schedule(50)) == pytest.approx(LEARNING_RATE / 2, rel=1e-5)
    assert float(schedule(100)) == pytest.approx(0.0, abs=1e-9)


def test_optimizer_starts_at_the_learning_rate_and_clips():
    optimizer = recommended_optimizer(100, learning_rate=1e-2)
    assert float(optimizer.learning_rate) == pytest.approx(1e-2)
    assert optimizer.clipnorm == 1.0


@pytest.mark.parametrize("steps", [0, -5, 2.5, None])
def test_steps_must_be_a_positive_integer(steps):
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        recommended_optimizer(steps)


def test_recommended_models():
    assert build_recommended_model().output_shape == (None, 10)
    bidirectional = build_recommended_model(n_classes=3, bidirectional=True)
    assert bidirectional.output_shape == (None, 3)
    assert isinstance(bidirectional.layers[0], keras.layers.Bidirectional)


def test_recipe_trains_and_lowers_the_loss():
    data = tiny_dataset()
    keras.utils.set_random_seed(0)
    model = build_recommended_model(n_hidden=16)
    epochs = 5
    history = train(model, data, epochs=epochs, batch_size=16, verbose=False,
                    optimizer=recommended_optimizer(steps_for(data, epochs, 16)))
    assert history.epochs["loss"][-1] < history.epochs["loss"][0]
