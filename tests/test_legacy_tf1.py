"""The TF1 code runs in its own process, and the legacy Keras switch never leaks out of it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import numpy as np
import pytest

from rnnlib import legacy_tf1

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_module_neither_imports_tensorflow_nor_sets_the_switch():
    code = (
        "import os, sys, rnnlib.legacy_tf1; "
        "assert 'tensorflow' not in sys.modules; assert 'TF_USE_LEGACY_KERAS' not in os.environ"
    )
    env = {k: v for k, v in os.environ.items() if k != legacy_tf1.LEGACY_VARIABLE}
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT)


def test_batches_hand_out_one_hot_flat_batches_and_every_example_once_per_epoch():
    images = np.arange(10 * 28 * 28, dtype=np.float32).reshape(10, 28, 28)
    labels = np.arange(10) % 3
    batches = legacy_tf1.Batches(images, labels, n_classes=3, seed=0)
    seen = []
    for _ in range(5):  # 5 batches of 4 = 2 epochs of 10
        x, y = batches.next_batch(4)
        assert x.shape == (4, 784) and y.shape == (4, 3) and (y.sum(axis=1) == 1).all()
        rows = (x[:, 0] // 784).astype(int)  # which image each row came from
        assert (y.argmax(axis=1) == labels[rows]).all()
        seen += rows.tolist()
    assert sorted(seen[:10]) == list(range(10)) and sorted(seen[10:]) == list(range(10))
    assert (
        seen[:10] == np.random.default_rng([0, 0]).permutation(10).tolist()
    )  # rnnlib.train's order


def test_main_refuses_to_run_after_tensorflow_is_imported():
    code = "import tensorflow, rnnlib.legacy_tf1 as m; m.main(['--training-iters', '128'])"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode != 0 and "already imported" in done.stderr


def test_the_program_runs_in_a_child_with_keras_2_and_the_parent_keeps_keras_3(monkeypatch):
    monkeypatch.setenv("RNNLIB_DATASET", "mnist-5k")
    monkeypatch.delenv(legacy_tf1.LEGACY_VARIABLE, raising=False)
    lines, result = legacy_tf1.run(training_iters=128 * 21, display_step=10)
    _, again = legacy_tf1.run(training_iters=128 * 21, display_step=10)
    assert again["test_accuracy"] == result["test_accuracy"]  # seeded: the same run twice
    assert [line.split(",")[0] for line in lines if line.startswith("Iter")] == [
        "Iter 1280",
        "Iter 2560",
    ]
    assert "Optimization Finished!" in lines and result["steps"] == 20
    assert result[legacy_tf1.LEGACY_VARIABLE] == "1" and result["tf_keras_lstm"].startswith(
        "tf_keras."
    )
    assert result["n_params"] == 4 * (128 * (28 + 128) + 128) + 128 * 10 + 10
    assert result["test_accuracy"] > 0.25  # 20 steps already learn: chance is 0.1
    assert legacy_tf1.LEGACY_VARIABLE not in os.environ


def test_basic_lstm_weights_stack_the_kernels_swap_the_middle_blocks_and_move_the_forget_bias():
    units = 3
    block = np.repeat(np.arange(4), units)  # each column labelled with its Keras block: i f c o
    kernel, recurrent = np.tile(block, (2, 1)), np.tile(block + 10, (units, 1))
    tf1_kernel, tf1_bias = legacy_tf1.basic_lstm_weights(kernel, recurrent, block, 1.0)
    assert tf1_kernel.shape == (2 + units, 4 * units)
    tf1_order = [0, 2, 1, 3]  # i, j (the candidate), f, o
    assert (tf1_kernel[:2] == np.repeat(tf1_order, units)).all()
    assert (tf1_kernel[2:] == np.repeat(tf1_order, units) + 10).all()
    assert (tf1_bias == np.repeat([0, 2, 1 - 1, 3], units)).all()  # the forget bias, minus 1


def test_basic_lstm_cell_computes_and_trains_as_keras_lstm_on_the_reordered_weights():
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(0)
    inputs = rng.uniform(size=(4, 5, 6)).astype(np.float32)
    probe = rng.normal(size=(4, 5, 8)).astype(np.float32)
    keras.utils.set_random_seed(0)
    lstm = keras.layers.LSTM(8, return_sequences=True)
    lstm.build(inputs.shape)
    lstm.cell.bias.assign(rng.normal(size=32).astype(np.float32))  # four different blocks
    with tf.GradientTape() as tape:
        outputs = lstm(inputs)
        objective = tf.reduce_sum(outputs * probe)
    gradients = [g.numpy() for g in tape.gradient(objective, lstm.cell.trainable_variables)]

    kernel, bias = legacy_tf1.basic_lstm_weights(*lstm.get_weights())
    naive = np.concatenate(lstm.get_weights()[:2])  # stacked, but in Keras' column order
    assert not np.allclose(kernel, naive)
    tf1_outputs, d_kernel, d_bias = legacy_tf1.run_cell(kernel, bias, inputs, probe)
    np.testing.assert_allclose(tf1_outputs, outputs.numpy(), atol=1e-6)
    expected_kernel, expected_bias = legacy_tf1.basic_lstm_weights(*gradients, forget_bias=0)
    np.testing.assert_allclose(d_kernel, expected_kernel, atol=1e-5)
    np.testing.assert_allclose(d_bias, expected_bias, atol=1e-5)
    assert legacy_tf1.LEGACY_VARIABLE not in os.environ


def test_run_cell_refuses_a_kernel_without_the_recurrent_rows():
    inputs, probe = np.zeros((1, 2, 3)), np.zeros((1, 2, 2))  # 3 features, 2 units
    with pytest.raises(ValueError, match=r"kernel has shape \(3, 8\).*\(5, 8\)"):
        legacy_tf1.run_cell(np.zeros((3, 8)), np.zeros(8), inputs, probe)


SETS_THE_SWITCH = re.compile(
    r"environ\[\s*['\"]TF_USE_LEGACY_KERAS['\"]\s*\]\s*=|"
    r"(setdefault|putenv)\(\s*['\"]TF_USE_LEGACY_KERAS|%env\s+TF_USE_LEGACY_KERAS"
)


def test_the_chapter_check_recognises_a_kernel_that_sets_the_switch():
    assert SETS_THE_SWITCH.search('os.environ["TF_USE_LEGACY_KERAS"] = "1"')
    assert SETS_THE_SWITCH.search("%env TF_USE_LEGACY_KERAS=1")
    assert not SETS_THE_SWITCH.search('print(os.environ.get("TF_USE_LEGACY_KERAS"))')


@pytest.mark.parametrize("md", sorted((ROOT / "chapters").rglob("*.md")), ids=lambda p: p.name)
def test_no_chapter_switches_its_own_kernel_to_legacy_keras(md):
    code = "\n".join(
        cell.source for cell in jupytext.read(md).cells if cell.cell_type == "code"
    )
    assert not SETS_THE_SWITCH.search(code), f"{md.name} sets TF_USE_LEGACY_KERAS in its kernel"
