"""Guards `rnnlib.validate`: each common input mistake raises a ValueError or TypeError whose
message names the problem and the fix, and valid input passes through in the book's format.

The same mistakes are also tested through the public entry points (`Dataset`, `train`,
`evaluate.accuracy`) in the other test files.
"""

import keras
import numpy as np
import pytest

from rnnlib.model import build_model
from rnnlib.validate import (
    check_images,
    check_labels,
    check_model_outputs,
    check_pair,
    model_input_shape,
    model_output_size,
)

IMAGES = np.random.default_rng(0).random((6, 28, 28))
LABELS = np.array([0, 1, 2, 3, 9, 5])


def test_valid_input_comes_back_as_float32_and_int64():
    x, y = check_pair(IMAGES, LABELS.astype(np.uint8))
    assert x.dtype == np.float32 and x.shape == (6, 28, 28)
    assert y.dtype == np.int64 and y.tolist() == LABELS.tolist()
    assert check_labels(np.array([1.0, 2.0])).tolist() == [1, 2]


@pytest.mark.parametrize(
    "images, message",
    [
        (IMAGES.reshape(6, 784), r"flattened.*reshape\(-1, 28, 28\)"),
        (IMAGES[..., None], r"channel axis.*x\[\.\.\., 0\]"),
        (IMAGES * 255, r"0\.\.255.*x / 255"),
        (IMAGES - 0.5, r"outside \[0, 1\].*pixel_range=None"),
        (IMAGES * 1000, r"outside \[0, 1\]"),
        (np.where(IMAGES > 0.99, np.nan, IMAGES), "NaN or infinite"),
        (np.where(IMAGES > 0.99, np.inf, IMAGES), "NaN or infinite"),
        (IMAGES[:0], "empty"),
        (IMAGES[0], r"shape \(N, steps, inputs\)"),
    ],
)
def test_bad_images_are_named_with_their_fix(images, message):
    with pytest.raises(ValueError, match=message):
        check_images(images)


def test_images_must_be_arrays_of_numbers():
    with pytest.raises(TypeError, match="NumPy array"):
        check_images(IMAGES.tolist())
    with pytest.raises(TypeError, match="numbers"):
        check_images(np.full((2, 28, 28), "a"))


def test_images_of_the_wrong_size_name_what_the_model_expects():
    with pytest.raises(
        ValueError, match="28 steps of 28 inputs, but the model expects 14 steps"
    ):
        check_images(IMAGES, n_steps=14, n_input=56)


def test_pixel_range_none_allows_other_scales():
    assert check_images(IMAGES - 0.5, pixel_range=None).min() < 0


@pytest.mark.parametrize(
    "labels, message",
    [
        (np.eye(10)[LABELS], r"one-hot.*argmax\(axis=1\)"),
        (np.array([0, 1, 10]), r"0\.\.9"),
        (np.array([-1, 1, 2]), r"0\.\.9"),
        (np.array([0.5, 1.0]), "whole class ids"),
        (np.array([np.nan, 1.0]), "NaN"),
        (np.array([], dtype=np.int64), "empty"),
        (LABELS[:, None], r"shape \(N,\)"),
    ],
)
def test_bad_labels_are_named_with_their_fix(labels, message):
    with pytest.raises(ValueError, match=message):
        check_labels(labels)


def test_labels_must_be_integer_arrays():
    with pytest.raises(TypeError, match="NumPy array"):
        check_labels([1, 2, 3])
    with pytest.raises(TypeError, match="integer class ids"):
        check_labels(np.array(["1", "2"]))


def test_fewer_classes_narrow_the_valid_labels():
    with pytest.raises(ValueError, match=r"0\.\.2"):
        check_labels(LABELS, n_classes=3)


def test_pair_must_match_one_to_one():
    with pytest.raises(ValueError, match="6 images but 5 labels"):
        check_pair(IMAGES, LABELS[:5])


def test_model_shapes_come_from_its_input_and_output():
    model = build_model(n_hidden=4, n_steps=14, n_input=56, n_classes=3)
    assert model_input_shape(model) == (14, 56)
    assert model_output_size(model) == 3
    check_model_outputs(model, 3)
    with pytest.raises(ValueError, match="outputs 3 logits but the data has 10 classes"):
        check_model_outputs(model, 10)


def test_a_model_with_no_shapes_yet_gets_a_clear_error():
    class Unbuilt(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="no input shape yet"):
        model_input_shape(Unbuilt())
    with pytest.raises(ValueError, match="no output shape yet"):
        check_model_outputs(Unbuilt(), 10)
