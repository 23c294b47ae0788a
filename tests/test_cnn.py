"""The small CNN that Part III compares with the recurrent networks."""

import numpy as np

from rnnlib.model import build_cnn
from rnnlib.validate import model_input_shape, model_output_size


def test_cnn_reads_the_same_images_and_returns_logits():
    model = build_cnn()
    assert model_input_shape(model) == (28, 28) and model_output_size(model) == 10
    logits = model(np.zeros((2, 28, 28), np.float32))
    assert logits.shape == (2, 10)


def test_cnn_parameter_count_follows_the_layer_formulas():
    model = build_cnn(n_classes=3, filters=(4, 8))
    conv1 = 4 * (3 * 3 * 1 + 1)  # 28 -> 26, pooled to 13
    conv2 = 8 * (3 * 3 * 4 + 1)  # 13 -> 11, pooled to 5
    dense = (5 * 5 * 8) * 3 + 3
    assert model.count_params() == conv1 + conv2 + dense
    assert model.output_shape == (None, 3)
