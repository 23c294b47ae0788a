"""Accuracy of the book's training recipes, measured (a benchmark, not a test).

    python bench/accuracy.py                       # both data sets (Fashion-MNIST: about an hour)
    python bench/accuracy.py --datasets mnist-5k   # one of them
    python bench/accuracy.py --select              # how RECOMMENDED was chosen (validation only)

Default mode: for each data set, the classic recipe (`rnnlib.recipes.CLASSIC`) and the recommended
one (`rnnlib.recipes.RECOMMENDED`) are trained from 3 seeds each and scored once on the test set,
in one run, with the rounds interleaved so that a busy machine slows both alike. It prints the
mean and spread of the test accuracy and of the training time, and checks the floors the book
promises: on mnist-5k the recommended recipe reaches a mean test accuracy of 0.97 in no more
training time than the classic recipe's 20 epochs, and on the full Fashion-MNIST 0.91. It exits
with status 1 if a floor is missed. The classic recipe's samples/s is printed as the machine's
reference, so that seconds can be read against other machines.

`--select` shows how the recommended settings were chosen: candidate recipes, each from 3 seeds,
scored on the held-out tenth of the training set (the test set is never looked at), ranked by
mean held-out accuracy, with their training time relative to the classic recipe's.
"""

import argparse
import dataclasses
import os
import statistics
import sys

from rnnlib.data import load_dataset
from rnnlib.recipes import CLASSIC, RECOMMENDED, SEEDS, mean_and_spread, run

# Per data set: epochs of each recipe, and the floors of the recommended one.
SETTINGS = {
    "mnist-5k": {"classic": 20, "recommended": 20, "floor": 0.97, "no_slower": True},
    "fashion-mnist": {"classic": 8, "recommended": 20, "floor": 0.91, "no_slower": False},
}

# What --select compares on mnist-5k: one change at a time from the classic recipe, then together.
CANDIDATES = {
    "classic": CLASSIC,
    "lr 3e-3 cosine, clip 1": dataclasses.replace(CLASSIC, learning_rate=3e-3, cosine=True,
                                                  clipnorm=1.0),
    "+ batch 64": dataclasses.replace(CLASSIC, learning_rate=3e-3, cosine=True, clipnorm=1.0,
                                      batch_size=64),
    "+ GRU": dataclasses.replace(CLASSIC, cell="gru", learning_rate=3e-3, cosine=True,
                                 clipnorm=1.0),
    "+ bidirectional 64": dataclasses.replace(CLASSIC, n_hidden=64, bidirectional=True,
                                              learning_rate=3e-3, cosine=True, clipnorm=1.0),
    "+ bidirectional 128": dataclasses.replace(CLASSIC, bidirectional=True, learning_rate=3e-3,
                                               cosine=True, clipnorm=1.0),
    "recommended": RECOMMENDED,
}


def describe(values, digits=4):
    mean, spread = mean_and_spread(values)
    return f"{mean:.{digits}f} ± {spread:.{digits}f}"


def interleaved(recipes, dataset, epochs, seeds, **options):
    """Run every recipe once per seed, a seed at a time, in a rotated order: {name: [Result]}."""
    results = {name: [] for name in recipes}
    names = list(recipes)
    for i, seed in enumerate(seeds):
        for name in names[i % len(names):] + names[: i % len(names)]:
            result = run(recipes[name], dataset, epochs[name], seed=seed, **options)
            results[name].append(result)
            score = result.test_accuracy if options.get("test") else result.val_accuracy
            print(f"    {name:22s} seed {seed}: {score:.4f} in {result.seconds:6.1f} s",
                  flush=True)
    return results


def benchmark(name, seeds):
    """Classic against recommended on the test set; returns True if the floors hold."""
    dataset, settings = load_dataset(name), SETTINGS[name]
    print(dataset, flush=True)
    recipes = {"classic": CLASSIC, "recommended": RECOMMENDED}
    results = interleaved(recipes, dataset, settings, seeds, test=True)
    for recipe, runs in results.items():
        print(f"  {recipe:11s} {settings[recipe]:2d} epochs: test accuracy "
              f"{describe(r.test_accuracy for r in runs)}, training "
              f"{describe((r.seconds for r in runs), 1)} s   ({recipes[recipe]})")
    classic_rate = statistics.mean(
        r.history.steps["samples"][-1] / r.seconds for r in results["classic"])
    print(f"  reference: the classic recipe trained {classic_rate:,.0f} samples/s on this machine")
    accuracy = statistics.mean(r.test_accuracy for r in results["recommended"])
    time_ratio = (statistics.mean(r.seconds for r in results["recommended"])
                  / statistics.mean(r.seconds for r in results["classic"]))
    ok = accuracy >= settings["floor"]
    print(f"  floor: recommended mean test accuracy {accuracy:.4f} >= {settings['floor']}: "
          f"{'PASS' if ok else 'FAIL'}")
    if settings["no_slower"]:
        faster = time_ratio <= 1.0
        print(f"  floor: recommended training time / classic = {time_ratio:.2f} <= 1: "
              f"{'PASS' if faster else 'FAIL'}")
        ok = ok and faster
    else:
        print(f"  recommended training time / classic = {time_ratio:.2f}")
    return ok


def select(seeds):
    """The candidates on mnist-5k's held-out split, ranked by mean held-out accuracy."""
    dataset = load_dataset("mnist-5k")
    print(f"{dataset}\nselecting on the held-out tenth of the training set", flush=True)
    epochs = {name: SETTINGS["mnist-5k"]["recommended"] for name in CANDIDATES}
    epochs["classic"] = SETTINGS["mnist-5k"]["classic"]
    results = interleaved(CANDIDATES, dataset, epochs, seeds)
    classic_seconds = statistics.mean(r.seconds for r in results["classic"])
    ranked = sorted(results, key=lambda n: -statistics.mean(r.val_accuracy for r in results[n]))
    print("\n  held-out accuracy (3 seeds)   time / classic   candidate")
    for name in ranked:
        seconds = statistics.mean(r.seconds for r in results[name])
        print(f"  {describe(r.val_accuracy for r in results[name])}            "
              f"{seconds / classic_seconds:5.2f}      {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument("--select", action="store_true", help="rank candidates on validation")
    parser.add_argument("--seeds", type=int, default=len(SEEDS))
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    seeds = range(args.seeds)
    if args.select:
        select(seeds)
        return
    failures = [name for name in args.datasets if not benchmark(name, seeds)]
    print(f"load average at end: {os.getloadavg()[0]:.1f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
