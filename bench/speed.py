"""How fast does the book's training loop train, compared with Keras' own `model.fit`?

One run, one data set, one network (the classic LSTM of 128 units + 10 logits, Adam 1e-3,
batch 128) trained three ways:

- `model.fit`: Keras' built-in loop, the reference;
- `rnnlib.train`: the book's explicit loop (a `tf.function` train step fed NumPy minibatches);
- `scratch`: the same loop training `build_model("scratch")`, the LSTM written in plain TF ops.

Each contender is warmed up first (tracing and graph optimisation are not timed); then the
rounds are interleaved (fit, train, scratch, the next round in a rotated order) so that a busy
machine slows all three alike. Two throughputs per contender, over steady-state epochs:

- wall: training samples per second of elapsed time, what a reader waits for;
- CPU: training samples per second of this process's CPU time, which other programs sharing
  the cores barely disturb. Each `train` call traces its step anew, so its steady-state CPU
  time is that of a 3-epoch call minus that of a 1-epoch call, over 2 epochs.

The floors the project promises, on wall time (CPU shown beside it): `rnnlib.train` at least
1.0x `model.fit`, and `scratch` no slower than 2x Keras' LSTM (ratio >= 0.5). On a machine shared
with other work the wall ratios swing by tens of percent between runs; the CPU ratios much less.

    RNNLIB_DATASET=mnist-5k python bench/speed.py --epochs 4
"""
import argparse
import os
import statistics
import time

import keras

from rnnlib.data import load_dataset
from rnnlib.model import build_model
from rnnlib.train import train

BATCH = 128


class EpochTimer(keras.callbacks.Callback):
    """Wall and CPU seconds of each epoch of `model.fit`."""

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter(), time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self.wall.append(time.perf_counter() - self.started[0])
        self.cpu.append(time.process_time() - self.started[1])


def keras_fit(dataset):
    """A function that trains 2 epochs with `model.fit`; returns (wall, CPU) seconds per epoch."""
    keras.utils.set_random_seed(0)
    model = build_model("lstm")
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

    def run():
        timer = EpochTimer()
        timer.wall, timer.cpu = [], []
        model.fit(dataset.x_train, dataset.y_train, batch_size=BATCH, epochs=2, shuffle=True,
                  verbose=0, callbacks=[timer])
        return statistics.mean(timer.wall), statistics.mean(timer.cpu)

    return run


def rnnlib_train(dataset, cell):
    """The same with `rnnlib.train`: a 1-epoch call, then a 3-epoch call of which 2 are timed."""
    keras.utils.set_random_seed(0)
    model = build_model(cell)
    optimizer = keras.optimizers.Adam(1e-3)   # shared across calls: training simply continues
    seeds = iter(range(1, 10**6))

    def run():
        cpu = {}
        for epochs in (1, 3):
            started = time.process_time()
            history = train(model, dataset, epochs=epochs, batch_size=BATCH, optimizer=optimizer,
                            seed=next(seeds), verbose=False)
            cpu[epochs] = time.process_time() - started
        return statistics.mean(history.epochs["seconds"][1:]), (cpu[3] - cpu[1]) / 2

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=4,
                        help="measured rounds per contender (each round times 2 epochs)")
    parser.add_argument("--dataset", default=None,
                        help="data set name (default: $RNNLIB_DATASET, else mnist)")
    args = parser.parse_args()

    dataset = load_dataset(args.dataset)
    n = len(dataset.x_train)
    contenders = {"model.fit": keras_fit(dataset),
                  "rnnlib.train": rnnlib_train(dataset, "lstm"),
                  "scratch (rnnlib.train)": rnnlib_train(dataset, "scratch")}
    print(f"{dataset!r}\nbatch {BATCH}, {args.epochs} rounds of 2 timed epochs each, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    for run in contenders.values():   # warm-up: trace and compile, untimed
        run()
    wall = {name: [] for name in contenders}
    cpu = {name: [] for name in contenders}
    names = list(contenders)
    for round_ in range(args.epochs):
        for name in names[round_ % 3:] + names[:round_ % 3]:
            seconds, cpu_seconds = contenders[name]()
            wall[name].append(n / seconds)
            cpu[name].append(n / cpu_seconds)

    wall = {name: statistics.median(r) for name, r in wall.items()}
    cpu = {name: statistics.median(r) for name, r in cpu.items()}
    print(f"\n{'median samples/s':24s} {'wall':>8s} {'CPU':>8s}   ratio wall (CPU)")
    pairs = (("model.fit", "model.fit"), ("rnnlib.train", "model.fit"),
             ("scratch (rnnlib.train)", "rnnlib.train"))
    for name, reference in pairs:
        print(f"{name:24s} {wall[name]:8,.0f} {cpu[name]:8,.0f}   "
              f"{wall[name] / wall[reference]:.2f}x ({cpu[name] / cpu[reference]:.2f}x) {reference}")
    print()
    for (name, reference), floor in zip(pairs[1:], (1.0, 0.5)):
        ratios = wall[name] / wall[reference], cpu[name] / cpu[reference]
        verdict = ", ".join(f"{metric} {'ok' if r >= floor else 'BELOW'}"
                            for metric, r in zip(("wall", "CPU"), ratios))
        print(f"{name} / {reference}: {ratios[0]:.2f} wall, {ratios[1]:.2f} CPU "
              f"(floor {floor}): {verdict}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
