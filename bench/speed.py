"""How fast does the book's training loop train, compared with Keras' own `model.fit`?

One run, one data set, the classic network (an RNN of 128 units + 10 logits, Adam 1e-3, batch
128), trained by each contender in turn:

- `fit`: Keras' `model.fit` on the NumPy arrays, as compiled by default, the reference (for this
  model Keras does not turn on XLA by itself: the run prints `model.jit_compile`);
- `fit, XLA`: `model.fit` after `compile(jit_compile=True)`: the comparison is fair both ways;
- `fit, no autotune`: `model.fit` on a `tf.data` pipeline of its own (the same arrays,
  shuffled and batched) with tf.data's autotuning turned off. On NumPy arrays, `fit` builds a
  `tf.data` pipeline and a new iterator every epoch; on a 2-core machine we saw some epochs end
  with the main thread waiting ~0.6 s for the old iterator's autotuning thread to stop (a
  `py-spy dump --native` shows it in `~LogicalThreadWrapper`), which on mnist-5k is as long as
  an epoch's work. This contender shows how much of `train`'s lead is that wait; the run counts
  the stalled epochs;
- `train`: `rnnlib.train` as called by default (no XLA; plain NumPy slices, no `tf.data`;
  `STEPS_PER_CALL` minibatches per call of its compiled step);
- `train, XLA`: `rnnlib.train(jit_compile=True)`, its step compiled with XLA;
- `scratch LSTM` and `scratch GRU`: `rnnlib.train(jit_compile=True)` on the cells written by
  hand in plain TF ops, against the same on Keras' LSTM and on Keras' GRU.

Each contender is warmed up first (tracing and compiling are not timed); then the rounds are
interleaved (each round in a rotated order) so that a busy machine slows all of them alike.
Two throughputs per contender, over steady-state epochs of all rounds (total samples over total
seconds, so that an occasional slow epoch counts as often as it happens):

- wall: training samples per second of elapsed time, what a reader waits for;
- CPU: training samples per second of this process's CPU time, which other programs sharing
  the cores barely disturb (and which a wait does not count). Each `train` call traces its
  step anew, so its steady-state CPU time is that of a 4-epoch call minus that of a 1-epoch
  call, over 3 epochs.

Results are ratios measured in this one run; the absolute samples/s of `fit` is printed so that
a reader can compare machines. Floors: `train` (as a reader calls it, without XLA) at least 1.3x
`fit` (wall), each scratch cell at least 0.5x the Keras cell it copies. `train, XLA` is reported
beside it: on this project's 2-core machine, XLA made `train` at most 1.08x faster with one
minibatch per call and slower with several (the issue that asked for it saw 1.33x on another
machine), so `train` is not judged by it. `train / fit, no autotune` is printed too: `train`'s
lead over `fit` fed a pipeline that did not stall. Exits with status 1 if a floor is missed. The
first epoch of each `train` call, which traces (and with XLA compiles) the step, is reported
apart: it is what XLA costs a short run.

    RNNLIB_DATASET=mnist-5k python bench/speed.py --rounds 3
"""

import argparse
import os
import statistics
import sys
import time

import keras
import tensorflow as tf

from rnnlib.data import load_dataset
from rnnlib.model import build_model
from rnnlib.train import train

BATCH = 128
EPOCHS = 3  # timed epochs per contender and round
STALLED = 1.5  # an epoch this many times as long as the contender's fastest one has stalled


class EpochTimer(keras.callbacks.Callback):
    """Wall and CPU seconds of each epoch of `model.fit`."""

    def on_train_begin(self, logs=None):
        self.wall, self.cpu = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter(), time.process_time()

    def on_epoch_end(self, epoch, logs=None):
        self.wall.append(time.perf_counter() - self.started[0])
        self.cpu.append(time.process_time() - self.started[1])


def keras_fit(dataset, jit_compile, without_autotune=False):
    """A function training `EPOCHS` epochs with `model.fit`: returns lists of the epochs' wall
    and CPU seconds. `without_autotune` feeds `fit` a `tf.data` pipeline of its own (the same
    arrays, shuffled and batched) with tf.data's autotuning turned off."""
    keras.utils.set_random_seed(0)
    model = build_model("lstm")
    data = {"x": dataset.x_train, "y": dataset.y_train, "batch_size": BATCH}
    if without_autotune:
        pipeline_options = tf.data.Options()
        pipeline_options.autotune.enabled = False
        pipeline = tf.data.Dataset.from_tensor_slices((dataset.x_train, dataset.y_train))
        pipeline = pipeline.shuffle(len(dataset.x_train), seed=0).batch(BATCH)
        data = {"x": pipeline.with_options(pipeline_options)}
    options = {} if jit_compile is None else {"jit_compile": jit_compile}
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        **options,
    )
    timer = EpochTimer()

    def run():
        model.fit(**data, epochs=EPOCHS, verbose=0, callbacks=[timer])
        return timer.wall, timer.cpu, None

    run.model = model
    return run


def rnnlib_train(dataset, cell, jit_compile=False):
    """The same with `rnnlib.train`: a 1-epoch call, then a call of 1 + `EPOCHS` epochs of
    which the last `EPOCHS` are timed. CPU seconds are one mean per epoch, repeated.

    Also returns the start-up seconds of a call: its first epoch minus a steady one.
    """
    keras.utils.set_random_seed(0)
    model = build_model(cell)
    optimizer = keras.optimizers.Adam(1e-3)  # shared across calls: training simply continues
    seeds = iter(range(1, 10**6))

    def run():
        cpu = {}
        for epochs in (1, 1 + EPOCHS):
            started = time.process_time()
            history = train(
                model,
                dataset,
                epochs=epochs,
                batch_size=BATCH,
                optimizer=optimizer,
                seed=next(seeds),
                verbose=False,
                jit_compile=jit_compile,
            )
            cpu[epochs] = time.process_time() - started
        steady = history.epochs["seconds"][1:]
        cpu_per_epoch = (cpu[1 + EPOCHS] - cpu[1]) / EPOCHS
        startup = history.epochs["seconds"][0] - statistics.mean(steady)
        return steady, [cpu_per_epoch] * EPOCHS, startup

    return run


# (contender, reference, floor on the wall-time ratio)
FLOORS = [
    ("train", "fit", 1.3),
    ("scratch LSTM", "train, XLA", 0.5),
    ("scratch GRU", "train GRU", 0.5),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per contender")
    parser.add_argument(
        "--dataset", default=None, help="data set name (default: $RNNLIB_DATASET, else mnist)"
    )
    args = parser.parse_args()

    dataset = load_dataset(args.dataset)
    n = len(dataset.x_train)
    contenders = {
        "fit": keras_fit(dataset, jit_compile=None),
        "fit, XLA": keras_fit(dataset, jit_compile=True),
        "fit, no autotune": keras_fit(dataset, jit_compile=None, without_autotune=True),
        "train": rnnlib_train(dataset, "lstm"),
        "train, XLA": rnnlib_train(dataset, "lstm", jit_compile=True),
        "scratch LSTM": rnnlib_train(dataset, "scratch", jit_compile=True),
        "train GRU": rnnlib_train(dataset, "gru", jit_compile=True),
        "scratch GRU": rnnlib_train(dataset, "scratch_gru", jit_compile=True),
    }
    print(
        f"{dataset!r}\nbatch {BATCH}, {args.rounds} rounds, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    for run in contenders.values():  # warm-up: trace and compile, untimed
        run()
    print(
        f"model.jit_compile after compile() with Keras' default: "
        f"{contenders['fit'].model.jit_compile}",
        flush=True,
    )
    epochs = {name: [] for name in contenders}  # wall seconds of each timed epoch
    cpu = {name: [] for name in contenders}
    startup = {name: [] for name in contenders}
    names = list(contenders)
    for round_ in range(args.rounds):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            seconds, cpu_seconds, startup_seconds = contenders[name]()
            epochs[name] += seconds
            cpu[name] += cpu_seconds
            startup[name].append(startup_seconds)

    wall = {name: n * len(s) / sum(s) for name, s in epochs.items()}
    cpu = {name: n * len(s) / sum(s) for name, s in cpu.items()}
    print(
        f"\n{'samples/s':16s} {'wall':>8s} {'CPU':>8s}   wall (CPU) ratio to fit"
        "   start-up of a call   stalled epochs"
    )
    for name in names:
        start = "" if None in startup[name] else f"{statistics.median(startup[name]):5.1f} s"
        stalled = sum(s > STALLED * min(epochs[name]) for s in epochs[name])
        print(
            f"{name:16s} {wall[name]:8,.0f} {cpu[name]:8,.0f}   "
            f"{wall[name] / wall['fit']:.2f}x ({cpu[name] / cpu['fit']:.2f}x)"
            f"            {start:>7s}   {stalled} of {len(epochs[name])}"
        )
    print(f"\nthe reference: model.fit trains {wall['fit']:,.0f} samples/s on this machine")
    failures = 0
    for name, reference, floor in FLOORS:
        ratio, cpu_ratio = wall[name] / wall[reference], cpu[name] / cpu[reference]
        verdict = "PASS" if ratio >= floor else "FAIL"
        failures += verdict == "FAIL"
        print(
            f"{name} / {reference}: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU "
            f"(floor {floor}x wall): {verdict}"
        )
    print(
        f"train / fit, no autotune: {wall['train'] / wall['fit, no autotune']:.2f}x wall "
        "(fit fed its own tf.data pipeline, autotuning off)"
    )
    print(
        f"train, XLA / fit, XLA: {wall['train, XLA'] / wall['fit, XLA']:.2f}x wall "
        f"(both compiled with XLA)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
