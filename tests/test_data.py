"""Guards `rnnlib.data`: every data set loads in the same shape and type, names are checked,
and a missing or damaged file is reported with a way out, never replaced by another data set.

No test touches the network: downloads are replaced by `keras.utils.get_file` stand-ins and
Keras' cache is a temporary folder (`KERAS_HOME`).
"""
import gzip
import hashlib

import keras
import numpy as np
import pytest

from rnnlib import data
from rnnlib.data import Dataset, DatasetUnavailableError, load_dataset


@pytest.fixture(scope="module")
def mnist_5k():
    return load_dataset("mnist-5k")


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty Keras cache, and a `get_file` that fails like a machine without network."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(*args, **kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(keras.utils, "get_file", offline)
    return tmp_path


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
    monkeypatch.setattr(data, "load_mnist_5k", lambda: mnist_5k)   # no second 4-second load
    monkeypatch.setenv("RNNLIB_DATASET", "mnist-5k")
    assert load_dataset() is mnist_5k


def test_default_is_full_mnist(monkeypatch, keras_home):
    monkeypatch.delenv("RNNLIB_DATASET", raising=False)
    with pytest.raises(DatasetUnavailableError, match="mnist.npz"):
        load_dataset()   # offline, so full MNIST fails: what matters is that it was asked for


@pytest.mark.parametrize("name", ["MNIST", "cifar10", "mnist5k"])
def test_unknown_name_lists_the_valid_ones(name):
    with pytest.raises(ValueError, match="mnist, mnist-5k, fashion-mnist"):
        load_dataset(name)


def test_unknown_name_from_the_environment_is_rejected(monkeypatch):
    monkeypatch.setenv("RNNLIB_DATASET", "emnist")
    with pytest.raises(ValueError, match="'emnist'"):
        load_dataset()


def test_failed_mnist_download_names_what_failed_and_both_offline_options(keras_home):
    with pytest.raises(DatasetUnavailableError) as caught:
        load_dataset("mnist")
    message = str(caught.value)
    assert data.MNIST_URL in message and "network is unreachable" in message
    assert "RNNLIB_DATASET=mnist-5k" in message
    assert str(keras_home / "datasets" / "mnist.npz") in message


def fake_mnist_npz(path, n=20):
    rng = np.random.default_rng(0)
    arrays = {"x_train": rng.integers(0, 256, (n, 28, 28), dtype=np.uint8),
              "y_train": np.arange(n, dtype=np.uint8) % 10,
              "x_test": rng.integers(0, 256, (n // 2, 28, 28), dtype=np.uint8),
              "y_test": np.arange(n // 2, dtype=np.uint8) % 10}
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, **arrays)
    return arrays


def test_mnist_is_downloaded_once_into_the_keras_cache_then_read_from_it(keras_home, monkeypatch):
    calls = []

    def fake_get_file(fname, origin, file_hash, cache_dir, cache_subdir, **kwargs):
        calls.append(origin)
        target = keras_home / "datasets" / fname
        assert (cache_dir, cache_subdir) == (str(keras_home), "datasets")
        fake_mnist_npz(target)
        # The fake file stands in for the real one: the cache check must accept its hash.
        monkeypatch.setattr(data, "MNIST_SHA256", hashlib.sha256(target.read_bytes()).hexdigest())
        return str(target)

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    first = load_dataset("mnist")
    second = load_dataset("mnist")
    assert calls == [data.MNIST_URL]
    assert first.x_train.dtype == np.float32 and first.x_train.max() <= 1.0
    np.testing.assert_array_equal(second.y_train, first.y_train)
    arrays = np.load(keras_home / "datasets" / "mnist.npz")
    np.testing.assert_allclose(first.x_test * 255, arrays["x_test"], atol=1e-3)


def test_mnist_download_is_hash_checked(monkeypatch, keras_home):
    seen = {}

    def fake_get_file(fname, origin, file_hash, **kwargs):
        seen["hash"] = file_hash
        raise ValueError("Incomplete or corrupted file detected")

    monkeypatch.setattr(keras.utils, "get_file", fake_get_file)
    with pytest.raises(DatasetUnavailableError, match="corrupted"):
        load_dataset("mnist")
    assert seen["hash"] == data.MNIST_SHA256


def test_corrupted_cached_mnist_is_reported_not_loaded(keras_home):
    path = keras_home / "datasets" / "mnist.npz"
    fake_mnist_npz(path)
    with pytest.raises(ValueError, match="corrupted") as caught:
        load_dataset("mnist")
    assert str(path) in str(caught.value) and "Delete it" in str(caught.value)


def write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def fake_fashion_folder(folder, n=30):
    rng = np.random.default_rng(1)
    for key, fname in data.FASHION_FILES.items():
        size = n if "train" in key else n // 3
        array = (rng.integers(0, 256, (size, 28, 28)) if key.startswith("x")
                 else np.arange(size) % 10)
        write_idx(folder / fname, array)


@pytest.fixture
def no_debian_fashion(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "FASHION_DEBIAN_DIR", tmp_path / "not-installed")


@pytest.mark.skipif(not data.FASHION_DEBIAN_DIR.exists(), reason="Debian's Fashion-MNIST absent")
def test_fashion_mnist_comes_from_debian_when_installed():
    dataset = load_dataset("fashion-mnist")
    assert_book_format(dataset)
    assert (len(dataset.x_train), len(dataset.x_test)) == (60000, 10000)
    assert dataset.class_names[9] == "Ankle boot" and "Debian" in dataset.source


def test_fashion_mnist_falls_back_to_the_keras_cache(no_debian_fashion, keras_home):
    fake_fashion_folder(keras_home / "datasets" / "fashion-mnist")
    dataset = load_dataset("fashion-mnist")
    assert (len(dataset.x_train), len(dataset.x_test)) == (30, 10)
    assert "Keras" in dataset.source and dataset.x_train.dtype == np.float32


def test_failed_fashion_download_names_both_offline_options(no_debian_fashion, keras_home):
    with pytest.raises(DatasetUnavailableError) as caught:
        load_dataset("fashion-mnist")
    message = str(caught.value)
    assert "train-images-idx3-ubyte.gz" in message and "network is unreachable" in message
    assert "dataset-fashion-mnist" in message
    assert str(keras_home / "datasets" / "fashion-mnist") in message


@pytest.mark.parametrize("damage", ["cut data", "cut gzip stream", "not gzip", "bad header"])
def test_truncated_or_corrupted_idx_file_is_reported(no_debian_fashion, keras_home, damage):
    folder = keras_home / "datasets" / "fashion-mnist"
    fake_fashion_folder(folder)
    path = folder / data.FASHION_FILES["x_train"]
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
    assert str(path) in str(caught.value)
    assert any(word in str(caught.value) for word in ("truncated", "corrupted", "not an IDX"))


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
