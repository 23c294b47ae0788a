"""Guards `rnnlib.data`: every data set loads in the same shape and type, names are checked,
a Dataset is checked once and then cannot change, and a missing or damaged file is reported with
a way out, never replaced by another data set.

No test touches the network: Keras' download function is replaced by one that fails like a
machine without network, and Keras' cache is a temporary folder.
"""

import dataclasses
import gzip
import urllib.error

import keras
import numpy as np
import pytest

from rnnlib import data
from rnnlib.data import Dataset, DatasetUnavailableError, load_dataset


@pytest.fixture
def offline_keras(tmp_path, monkeypatch):
    """An empty Keras cache in `tmp_path`, and downloads that fail as they do without network.

    Keras reads its cache folder once, at import, into `keras.src.backend.config._KERAS_DIR`
    (from $KERAS_HOME); the test points both at the temporary folder.
    """
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr("keras.src.backend.config._KERAS_DIR", str(tmp_path))

    def offline(*args, **kwargs):
        raise urllib.error.URLError("network is unreachable")

    monkeypatch.setattr("keras.src.utils.file_utils.urlretrieve", offline)
    return tmp_path / "datasets"


def assert_book_format(dataset):
    for x, y in ((dataset.x_train, dataset.y_train), (dataset.x_test, dataset.y_test)):
        assert x.dtype == np.float32 and x.ndim == 3 and x.shape[1:] == (28, 28)
        assert 0.0 <= x.min() and x.max() <= 1.0 and x.max() > 0.5
        assert y.dtype == np.int64 and y.shape == (len(x),)
        assert set(np.unique(y)) == set(range(10))
    assert len(dataset.class_names) == dataset.n_classes == 10


def test_mnist_5k_is_a_stratified_4000_1000_split(mnist_5k):
    assert_book_format(mnist_5k)
    assert (len(mnist_5k.x_train), len(mnist_5k.x_test)) == (4000, 1000)
    assert np.bincount(mnist_5k.y_train).tolist() == [400] * 10
    assert np.bincount(mnist_5k.y_test).tolist() == [100] * 10
    assert mnist_5k.class_names == tuple("0123456789")


def test_mnist_5k_split_is_the_same_every_time_and_disjoint(mnist_5k):
    again = load_dataset("mnist-5k")
    np.testing.assert_array_equal(again.x_train, mnist_5k.x_train)
    np.testing.assert_array_equal(again.y_test, mnist_5k.y_test)
    train_rows = {row.tobytes() for row in mnist_5k.x_train}
    assert not any(row.tobytes() in train_rows for row in mnist_5k.x_test)


def test_name_none_reads_the_environment(monkeypatch, mnist_5k):
    monkeypatch.setattr(data, "load_mnist_5k", lambda: mnist_5k)  # no second 4-second load
    monkeypatch.setenv("RNNLIB_DATASET", "mnist-5k")
    assert load_dataset() is mnist_5k


def test_default_is_full_mnist(monkeypatch, offline_keras):
    monkeypatch.delenv("RNNLIB_DATASET", raising=False)
    with pytest.raises(DatasetUnavailableError, match="full MNIST"):
        load_dataset()  # offline, so full MNIST fails: what matters is that it was asked for


@pytest.mark.parametrize("name", ["MNIST", "cifar10", "mnist5k"])
def test_unknown_name_lists_the_valid_ones(name):
    with pytest.raises(ValueError, match="mnist, mnist-5k, fashion-mnist"):
        load_dataset(name)


def test_unknown_name_from_the_environment_is_rejected(monkeypatch):
    monkeypatch.setenv("RNNLIB_DATASET", "emnist")
    with pytest.raises(ValueError, match="'emnist'"):
        load_dataset()


def test_the_cache_folder_named_in_messages_is_keras_own():
    from keras.src.backend import config

    assert data.keras_cache_dir().parent.resolve() == data.Path(config.keras_home()).resolve()


def test_failed_mnist_download_says_what_failed_and_both_offline_options(offline_keras):
    with pytest.raises(DatasetUnavailableError) as caught:
        load_dataset("mnist")
    message = str(caught.value)
    assert "network is unreachable" in message
    assert "RNNLIB_DATASET=mnist-5k" in message and str(offline_keras / "mnist.npz") in message
    assert "hash" not in message  # nothing cached, so nothing is corrupted


def test_corrupted_cached_mnist_is_reported_not_loaded(offline_keras):
    offline_keras.mkdir(parents=True, exist_ok=True)
    np.savez(offline_keras / "mnist.npz", x_train=np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(DatasetUnavailableError) as caught:
        load_dataset("mnist")
    message = str(caught.value)
    assert "failed Keras' hash check" in message and "mnist-5k" in message
    assert str(offline_keras / "mnist.npz") in message


def test_mnist_from_keras_loader_arrives_in_the_book_format(monkeypatch):
    rng = np.random.default_rng(0)
    arrays = (
        rng.integers(0, 256, (20, 28, 28), dtype=np.uint8),
        np.arange(20, dtype=np.uint8) % 10,
    )
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: (arrays, arrays))
    dataset = load_dataset("mnist")
    assert dataset.x_train.dtype == np.float32 and dataset.y_train.dtype == np.int64
    np.testing.assert_allclose(dataset.x_test * 255, arrays[0], atol=1e-3)
    assert dataset.class_names == data.DIGITS and "Keras" in dataset.source


def write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def fake_fashion_folder(folder, n=30):
    rng = np.random.default_rng(1)
    for key, fname in data.FASHION_FILES.items():
        size = n if "train" in key else n // 3
        array = (
            rng.integers(0, 256, (size, 28, 28))
            if key.startswith("x")
            else np.arange(size) % 10
        )
        write_idx(folder / fname, array)


@pytest.fixture
def fake_debian_fashion(monkeypatch, tmp_path):
    """Debian's Fashion-MNIST folder, with small files of the right format."""
    folder = tmp_path / "fashion-mnist"
    fake_fashion_folder(folder)
    monkeypatch.setattr(data, "FASHION_DEBIAN_DIR", folder)
    return folder


@pytest.mark.skipif(
    not data.FASHION_DEBIAN_DIR.exists(), reason="Debian's Fashion-MNIST absent"
)
def test_fashion_mnist_comes_from_debian_when_installed():
    dataset = load_dataset("fashion-mnist")
    assert_book_format(dataset)
    assert (len(dataset.x_train), len(dataset.x_test)) == (60000, 10000)
    assert dataset.class_names[9] == "Ankle boot" and "Debian" in dataset.source


def test_fashion_mnist_reads_the_debian_files(fake_debian_fashion):
    dataset = load_dataset("fashion-mnist")
    assert (len(dataset.x_train), len(dataset.x_test)) == (30, 10)
    assert str(fake_debian_fashion) in dataset.source and dataset.x_train.dtype == np.float32


def test_without_debian_files_fashion_mnist_comes_from_keras_loader(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "FASHION_DEBIAN_DIR", tmp_path / "not-installed")
    arrays = (np.zeros((4, 28, 28), np.uint8), np.arange(4, dtype=np.uint8))
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: (arrays, arrays))
    dataset = load_dataset("fashion-mnist")
    assert "Keras" in dataset.source and dataset.class_names == data.FASHION_CLASSES


def test_failed_fashion_download_names_the_debian_package(monkeypatch, tmp_path, offline_keras):
    monkeypatch.setattr(data, "FASHION_DEBIAN_DIR", tmp_path / "not-installed")
    with pytest.raises(DatasetUnavailableError) as caught:
        load_dataset("fashion-mnist")
    message = str(caught.value)
    assert "network is unreachable" in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert str(offline_keras / "fashion-mnist") in message


@pytest.mark.parametrize("damage", ["cut data", "cut gzip stream", "not gzip", "bad header"])
def test_truncated_or_corrupted_idx_file_is_reported(fake_debian_fashion, damage):
    path = fake_debian_fashion / data.FASHION_FILES["x_train"]
    raw = gzip.decompress(path.read_bytes())
    if damage == "cut data":
        path.write_bytes(gzip.compress(raw[:-100]))
    elif damage == "cut gzip stream":
        path.write_bytes(path.read_bytes()[:-200])
    elif damage == "not gzip":
        path.write_bytes(raw)
    else:
        path.write_bytes(gzip.compress(b"\x00\x00\x0d\x03" + raw[4:]))
    with pytest.raises(ValueError) as caught:
        load_dataset("fashion-mnist")
    message = str(caught.value)
    assert str(path) in message and "--reinstall dataset-fashion-mnist" in message
    assert any(word in message for word in ("truncated", "corrupted", "not an IDX"))


def test_dataset_rejects_bad_arrays_at_construction():
    x, y = np.zeros((4, 28, 28), np.float32), np.arange(4)
    with pytest.raises(ValueError, match="flattened"):
        Dataset("d", x.reshape(4, 784), y, x, y, data.DIGITS, "test")
    with pytest.raises(ValueError, match="x / 255"):
        Dataset("d", x + 200, y, x, y, data.DIGITS, "test")
    with pytest.raises(ValueError, match="one-hot"):
        Dataset("d", x, np.eye(10)[y], x, y, data.DIGITS, "test")
    with pytest.raises(ValueError, match="3 labels"):
        Dataset("d", x, y, x, y[:3], data.DIGITS, "test")
    with pytest.raises(ValueError, match=r"0\.\.1"):
        Dataset("d", x, y, x, y, ("a", "b"), "test")
    with pytest.raises(ValueError, match="empty"):
        Dataset("d", x[:0], y[:0], x, y, data.DIGITS, "test")


def test_subset_keeps_the_first_examples(mnist_5k):
    small = mnist_5k.subset(100, 20)
    assert (len(small.x_train), len(small.x_test)) == (100, 20)
    np.testing.assert_array_equal(small.y_train, mnist_5k.y_train[:100])
    assert "subset 100/20" in small.source and "4,000" not in repr(small)


def test_a_dataset_cannot_change_after_its_check(mnist_5k):
    with pytest.raises(dataclasses.FrozenInstanceError):
        mnist_5k.x_train = mnist_5k.x_train * 255
    with pytest.raises(ValueError, match="read-only"):
        mnist_5k.x_train[0, 0, 0] = 255.0


def test_the_callers_arrays_stay_writable():
    x, y = np.zeros((4, 28, 28), np.float32), np.arange(4)
    Dataset("d", x, y, x, y, data.DIGITS, "test")
    x[0, 0, 0] = 1.0  # no error: only the Dataset's view is frozen


def test_a_changed_copy_is_checked_again(mnist_5k):
    with pytest.raises(ValueError, match="x / 255"):
        dataclasses.replace(mnist_5k, x_train=mnist_5k.x_train * 255)
    standardised = (mnist_5k.x_train - 0.13) / 0.3
    with pytest.raises(ValueError, match="pixel_range=None"):
        dataclasses.replace(mnist_5k, x_train=standardised)
    free = dataclasses.replace(mnist_5k, x_train=standardised, pixel_range=None)
    assert free.x_train.min() < 0


def test_hold_out_splits_the_training_set_without_overlap(mnist_5k):
    small = mnist_5k.subset(n_train=200, n_test=50)
    kept, (x_val, y_val) = small.hold_out(0.25)
    assert len(kept.x_train) == 150 and len(x_val) == len(y_val) == 50
    assert np.array_equal(np.concatenate([kept.x_train, x_val]), small.x_train)
    assert np.array_equal(np.concatenate([kept.y_train, y_val]), small.y_train)
    assert np.array_equal(kept.x_test, small.x_test)  # the test set is untouched


@pytest.mark.parametrize("fraction", [0, 1, -0.1, 1.5, 0.001])
def test_hold_out_rejects_a_fraction_that_leaves_a_part_empty(mnist_5k, fraction):
    with pytest.raises(ValueError, match="fraction"):
        mnist_5k.subset(n_train=100).hold_out(fraction)
