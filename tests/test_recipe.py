"""The shared training recipe: the held-out split and a tiny run of train_classic."""
import numpy as np
import pytest

from rnnlib.data import load_dataset
from rnnlib.recipe import hold_out, train_classic


@pytest.fixture(scope="module")
def small():
    return load_dataset("mnist-5k").subset(n_train=200, n_test=50)


def test_hold_out_splits_the_training_set_without_overlap(small):
    kept, (x_val, y_val) = hold_out(small, fraction=0.25)
    assert len(kept.x_train) == 150 and len(x_val) == len(y_val) == 50
    assert np.array_equal(np.concatenate([kept.x_train, x_val]), small.x_train)
    assert np.array_equal(np.concatenate([kept.y_train, y_val]), small.y_train)
    assert np.array_equal(kept.x_test, small.x_test)        # the test set is untouched


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5])
def test_hold_out_rejects_a_fraction_outside_0_1(small, fraction):
    with pytest.raises(ValueError, match="fraction"):
        hold_out(small, fraction)


def test_train_classic_trains_on_the_budget_and_records_the_held_out_curve(small):
    model, history = train_classic(small, samples=360, fraction=0.1, verbose=False)
    assert len(history.epochs["loss"]) == 2                  # 360 samples / 180 images = 2 epochs
    assert len(history.epochs["val_accuracy"]) == 2
    assert model.outputs[0].shape[-1] == 10


def test_train_classic_is_deterministic(small):
    first = train_classic(small, samples=180, verbose=False)[0].get_weights()
    second = train_classic(small, samples=180, verbose=False)[0].get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(first, second))
