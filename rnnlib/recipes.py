"""Training recipes: how the book trains its networks, written down once.

A `Recipe` names a network and the settings that train it. `run` is what every comparison in the
book does with one: seed, build, train, score. It scores on a held-out part of the training set,
so that settings are chosen without looking at the test set; the test set is scored once, at the
end, with `test=True`. `repeat` runs several seeds, so that a ranking rests on a mean and a
spread rather than on one lucky run.
"""

import dataclasses
import statistics
import time

import keras

from rnnlib.evaluate import accuracy
from rnnlib.model import build_cnn, build_model
from rnnlib.train import epochs_for_budget, steps_per_epoch, train

VALIDATION_FRACTION = 0.1
SEEDS = (0, 1, 2)


@dataclasses.dataclass(frozen=True)
class Recipe:
    """A network and its training settings. Change one thing with `dataclasses.replace`."""

    cell: str = "lstm"  # "lstm", "gru", "simple", "scratch", or "cnn" to compare
    n_hidden: int = 128
    n_layers: int = 1
    bidirectional: bool = False
    learning_rate: float = 1e-3
    batch_size: int = 128
    cosine: bool = False  # the learning rate falls along a cosine to 0 at the end
    clipnorm: float | None = None  # gradients longer than this are scaled down to it
    jit_compile: bool = False  # compile the training step with XLA (pays off on long runs)
    standardize: bool = False  # pixels to mean 0, std 1 (training-set statistics), in the model
    max_shift: int = 0  # shift each training image by up to this many pixels (augmentation)
    layer_options: dict = dataclasses.field(default_factory=dict)  # say, {"dropout": 0.2}

    def build(self, n_classes=10, x_train=None):
        """The untrained network; `x_train` gives the statistics if the recipe standardizes."""
        if self.cell == "cnn":
            return build_cnn(n_classes=n_classes)
        stats = None
        if self.standardize:
            if x_train is None:
                raise ValueError(
                    "a standardizing recipe needs the training images: build(n, x)"
                )
            stats = (float(x_train.mean()), float(x_train.std()))
        return build_model(
            self.cell,
            self.n_hidden,
            n_classes=n_classes,
            n_layers=self.n_layers,
            bidirectional=self.bidirectional,
            standardize=stats,
            max_shift=self.max_shift,
            **self.layer_options,
        )

    def optimizer(self, steps):
        """Adam for a run of `steps` steps (a cosine schedule must know where it ends)."""
        rate = self.learning_rate
        if self.cosine:
            rate = keras.optimizers.schedules.CosineDecay(rate, decay_steps=steps)
        return keras.optimizers.Adam(rate, clipnorm=self.clipnorm)


CLASSIC = Recipe()
"""The 2017 tutorial's settings: LSTM(128), Adam at a constant 0.001, batches of 128."""

RECOMMENDED = Recipe(
    learning_rate=3e-3,
    batch_size=64,
    cosine=True,
    clipnorm=1.0,
    standardize=True,
    jit_compile=True,
)
"""Part III's recommendations, each chosen on a validation split (`bench/accuracy.py --select`).

For a small set of images, shifted copies help too: `dataclasses.replace(RECOMMENDED,
max_shift=2)`; on full Fashion-MNIST they did not, so they are not part of the default. XLA
compiles for seconds before the first step, which only a long run can win back, and only on a
machine where the compiled step is faster: short runs take `jit_compile=False` (the chapters and
the mnist-5k benchmark do).
"""


@dataclasses.dataclass
class Result:
    """One trained network: its history, its held-out accuracy, its test accuracy if asked."""

    model: keras.Model
    history: object
    val_accuracy: float
    test_accuracy: float | None
    seconds: float


def run(
    recipe, dataset, epochs, seed=0, fraction=VALIDATION_FRACTION, test=False, **train_options
):
    """Seed, build, train on `dataset` minus its held-out `fraction`, score on that fraction.

    The held-out accuracy is also recorded after every epoch (`history.epochs["val_accuracy"]`),
    so that callbacks such as early stopping can watch it. `test=True` also scores the test set:
    do it once, for the settings you chose. `fraction=None` holds nothing out: the final run of
    settings already chosen, on all the training images. Other keyword arguments go to
    `rnnlib.train.train`.
    """
    kept, held_out = (dataset, None) if fraction is None else dataset.hold_out(fraction)
    keras.utils.set_random_seed(seed)
    model = recipe.build(dataset.n_classes, kept.x_train)
    optimizer = recipe.optimizer(epochs * steps_per_epoch(len(kept.x_train), recipe.batch_size))
    started = time.perf_counter()
    options = {"verbose": False, "jit_compile": recipe.jit_compile, **train_options}
    history = train(
        model,
        kept,
        epochs=epochs,
        batch_size=recipe.batch_size,
        optimizer=optimizer,
        seed=seed,
        validation_data=held_out,
        **options,
    )
    seconds = time.perf_counter() - started

    def score(x, y):
        return accuracy(model, x, y, pixel_range=dataset.pixel_range)

    return Result(
        model,
        history,
        held_out and score(*held_out),
        score(dataset.x_test, dataset.y_test) if test else None,
        seconds,
    )


def repeat(recipe, dataset, epochs, seeds=SEEDS, **options):
    """`run` once per seed: the spread between seeds says how much of a difference is luck."""
    return [run(recipe, dataset, epochs, seed=seed, **options) for seed in seeds]


def mean_and_spread(values):
    """The mean and the sample standard deviation of a few runs' scores."""
    values = list(values)
    return statistics.mean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def clearly_better(scores, other_scores):
    """True when every run of the first beats every run of the second: a gap beyond spread."""
    return min(scores) > max(other_scores)


def verdict(scores, other_scores):
    """How the first runs compare with the others: "higher", "lower", or, where the runs
    overlap, "no measurable difference". A chapter states an order only when this says so."""
    if clearly_better(scores, other_scores):
        return "higher"
    if clearly_better(other_scores, scores):
        return "lower"
    return "no measurable difference"


def held_out_scores(results):
    """`{name: [Result, ...]}` -> `{name: [held-out accuracy of each run, ...]}`."""
    return {name: [result.val_accuracy for result in runs] for name, runs in results.items()}


def summarize(results, baseline=None):
    """One row per recipe of `{name: [Result, ...]}`, for a table: the mean and the spread of
    its held-out accuracy, its mean training seconds, and its `verdict` against `baseline`."""
    all_scores = held_out_scores(results)
    rows = []
    for name, runs in results.items():
        scores = all_scores[name]
        mean, spread = mean_and_spread(scores)
        row = {
            "recipe": name,
            "held-out accuracy": mean,
            "spread": spread,
            "seconds": statistics.mean(result.seconds for result in runs),
        }
        if baseline is not None:
            others = all_scores[baseline]
            row[f"against {baseline}"] = "" if name == baseline else verdict(scores, others)
        rows.append(row)
    return rows


SAMPLES = 60_000  # about 15 passes over mnist-5k, one over full MNIST


def train_classic(dataset, samples=SAMPLES, **train_options):
    """The classic network trained the classic way on about `samples` examples.

    Returns (model, history).

    Steps 6 and 7, and the demo, all need this trained network: this one function gives each of
    them the same one, so a reader can open any of those chapters alone.
    """
    kept, _ = dataset.hold_out(VALIDATION_FRACTION)
    result = run(CLASSIC, dataset, epochs_for_budget(kept, samples), **train_options)
    return result.model, result.history
