"""Accuracy floors of the book's training recipes, measured (a benchmark, not a test).

    python bench/accuracy.py                       # both data sets (Fashion-MNIST takes minutes)
    python bench/accuracy.py --datasets mnist-5k   # one of them

For each data set it trains the classic recipe (the LSTM(128) with Adam 0.001, batches of 128) and
the recommended one (`rnnlib.recommended`: cosine decay, clipping, and a bidirectional LSTM(128), since
the plain LSTM stops just short of the floors: 0.959 on mnist-5k in our runs), prints test accuracy
and training seconds, and checks
the floors the book promises: the recommended LSTM reaches 0.96 on mnist-5k within 60 s of
training on a 2-core CPU, and 0.90 on the full Fashion-MNIST test set. Exits with status 1 if a
floor is missed. Training seconds depend on the machine and its load; the load average is printed.
"""
import argparse
import os
import sys
import time

import keras

from rnnlib import recommended
from rnnlib.data import load_dataset
from rnnlib.evaluate import accuracy
from rnnlib.model import build_model
from rnnlib.train import train

# Per data set: the two recipes, and the floor the recommended one must reach.
SETTINGS = {
    "mnist-5k": {
        "classic": dict(epochs=20, batch_size=128),
        "recommended": dict(epochs=20, batch_size=recommended.BATCH_SIZE,
                            learning_rate=recommended.LEARNING_RATE, bidirectional=True),
        "floor": 0.96, "max_seconds": 60.0,
    },
    "fashion-mnist": {
        "classic": dict(epochs=5, batch_size=128),
        "recommended": dict(epochs=12, batch_size=128, learning_rate=2e-3, bidirectional=True),
        "floor": 0.90, "max_seconds": None,
    },
}


def run(dataset, recipe, epochs, batch_size, learning_rate=None, bidirectional=False):
    """Train one recipe from seed 0; return (test accuracy, training seconds)."""
    keras.utils.set_random_seed(0)
    if recipe == "classic":
        model, optimizer = build_model(n_classes=dataset.n_classes), keras.optimizers.Adam(1e-3)
    else:
        model = recommended.build_recommended_model(dataset.n_classes, bidirectional=bidirectional)
        steps = recommended.steps_for(dataset, epochs, batch_size)
        optimizer = recommended.recommended_optimizer(steps, learning_rate)
    started = time.perf_counter()
    train(model, dataset, epochs=epochs, batch_size=batch_size, optimizer=optimizer, seed=0,
          verbose=False)
    seconds = time.perf_counter() - started
    return accuracy(model, dataset.x_test, dataset.y_test), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    failures = []
    for name in args.datasets:
        dataset, settings = load_dataset(name), SETTINGS[name]
        print(dataset, flush=True)
        for recipe in ("classic", "recommended"):
            options = settings[recipe]
            test_accuracy, seconds = run(dataset, recipe, **options)
            described = ", ".join(f"{k}={v}" for k, v in options.items())
            print(f"  {recipe:11s} test accuracy {test_accuracy:.4f}  training {seconds:6.1f} s  "
                  f"({described})", flush=True)
        floor, max_seconds = settings["floor"], settings["max_seconds"]
        ok = test_accuracy >= floor and (max_seconds is None or seconds <= max_seconds)
        limit = f" within {max_seconds:g} s" if max_seconds else ""
        print(f"  floor: recommended >= {floor}{limit}: {'PASS' if ok else 'FAIL'}", flush=True)
        if not ok:
            failures.append(name)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
