"""Sequences of any length, made ready for a recurrent network (Part IV).

- `Vocabulary`: characters <-> integer ids, with id 0 kept free for padding, the id that
  `keras.layers.Embedding(mask_zero=True)` masks.
- `pad`: id sequences of different lengths -> one rectangular array, padded at the end.
- `LengthBuckets`: batches of sequences of about the same length, each padded only as far as
  its own longest sequence, for `model.fit`.
- `windows`: a series -> every window a forecaster reads, and the values that follow it.

Each refuses bad input with an error that says what was wrong and how to fix it: an empty
sequence, a character the vocabulary does not know, a window longer than the series. Keras'
own tools are quieter: `keras.utils.timeseries_dataset_from_array` returns an empty data set,
without a word, when the window is longer than the series.
"""

import keras
import numpy as np

PAD = 0


class Vocabulary:
    """A fixed set of characters, numbered from 1; id 0 is the padding and stands for none."""

    def __init__(self, characters):
        characters = sorted(set(characters))
        if not characters:
            raise ValueError("a vocabulary needs at least one character; got none")
        not_characters = [c for c in characters if not isinstance(c, str) or len(c) != 1]
        if not_characters:
            raise ValueError(f"a vocabulary holds single characters; got {not_characters[:5]}")
        self.characters = tuple(characters)
        self.ids = {c: i for i, c in enumerate(self.characters, start=1)}

    @classmethod
    def from_texts(cls, texts):
        """Every character that occurs in `texts` (build it from the training texts only)."""
        return cls(c for text in texts for c in text)

    def __len__(self):
        """The number of ids, padding included: the `input_dim` of an `Embedding` layer."""
        return len(self.characters) + 1

    def __repr__(self):
        shown = "".join(self.characters)
        return f"Vocabulary({len(self.characters)} characters: {shown[:60]!r}, id 0 = padding)"

    def encode(self, text):
        """The ids of the characters of `text`, as int32."""
        if not isinstance(text, str):
            raise TypeError(f"encode takes a string, got {type(text).__name__}")
        unknown = sorted(set(text) - self.ids.keys())
        if unknown:
            raise ValueError(
                f"{text[:40]!r} holds {len(unknown)} character(s) that the vocabulary does not "
                f"know: {unknown[:10]}. Build the vocabulary from texts that contain them, or "
                "remove or replace them before encoding."
            )
        return np.array([self.ids[c] for c in text], dtype=np.int32)

    def encode_padded(self, texts, length=None):
        """Encode every text and pad them to one array of shape (len(texts), length)."""
        return pad([self.encode(text) for text in texts], length)

    def decode(self, ids):
        """The text that `ids` stand for; padding (id 0) stands for nothing and is skipped."""
        ids = np.asarray(ids)
        if ids.ndim != 1 or ids.dtype.kind not in "iu":
            raise ValueError(
                f"decode takes a 1-D array of integer ids, got {ids.dtype} {ids.shape}"
            )
        bad = ids[(ids < 0) | (ids >= len(self))]
        if len(bad):
            raise ValueError(
                f"ids {sorted(set(bad.tolist()))[:5]} are not in this vocabulary "
                f"(valid ids: 0 to {len(self) - 1})"
            )
        return "".join(self.characters[i - 1] for i in ids if i != PAD)


def pad(sequences, length=None):
    """One int32 array of shape (N, length): each sequence, followed by zeros.

    Padding at the end keeps step t of every row the t-th element of its sequence, so that a
    masked RNN stops, for each row, right after its last real element. `length` defaults to the
    longest sequence; a longer sequence is an error, never silently cut.
    """
    sequences = [np.asarray(s) for s in sequences]
    if not sequences:
        raise ValueError("there are no sequences to pad")
    for i, s in enumerate(sequences):
        if s.ndim != 1 or (s.size and s.dtype.kind not in "iu"):
            raise ValueError(
                f"sequence {i} must be a 1-D list of integer ids, got {s.dtype} {s.shape}"
            )
    lengths = np.array([len(s) for s in sequences])
    empty = np.flatnonzero(lengths == 0)
    if len(empty):
        raise ValueError(
            f"sequence {empty[0]} is empty ({len(empty)} empty in all): there is "
            "nothing for a network to read. Drop empty sequences before padding."
        )
    holding_pad = [i for i, s in enumerate(sequences) if (s == PAD).any()]
    if holding_pad:
        raise ValueError(
            f"sequence {holding_pad[0]} holds the id {PAD}, which is the padding: a "
            "mask would drop it. Number real elements from 1 (see Vocabulary)."
        )
    longest = int(lengths.max())
    length = longest if length is None else length
    if longest > length:
        raise ValueError(
            f"sequence {int(lengths.argmax())} has {longest} elements, more than "
            f"length={length}. Pass a larger length, or cut the sequences first."
        )
    padded = np.zeros((len(sequences), length), dtype=np.int32)
    for row, s in zip(padded, sequences):
        row[: len(s)] = s
    return padded


class LengthBuckets(keras.utils.PyDataset):
    """Batches of padded sequences of about the same length, each cut to its longest sequence.

    Padded to the longest sequence of the whole data set, most rows of a batch end in padding
    that a recurrent layer still steps through. Here, every epoch, the sequences are sorted by
    length (in a new random order among equal lengths) and cut into batches, so that a batch
    holds sequences of about the same length and is padded only to its own longest. The batches
    then come in a random order: sorted, the network would see all the short sequences first.
    """

    def __init__(self, inputs, labels, batch_size, seed=0):
        super().__init__()
        inputs, labels = np.asarray(inputs), np.asarray(labels)
        if inputs.ndim != 2 or inputs.dtype.kind not in "iu" or not len(inputs):
            raise ValueError(
                "inputs must be a non-empty 2-D array of padded ids (see pad), got "
                f"{inputs.dtype} {inputs.shape}"
            )
        if len(labels) != len(inputs):
            raise ValueError(f"there are {len(inputs)} sequences but {len(labels)} labels")
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        self.lengths = (inputs != PAD).sum(axis=1)
        if not self.lengths.all():
            raise ValueError(
                f"sequence {int(np.argmin(self.lengths))} is empty: drop empty sequences first"
            )
        gaps = (inputs[:, :-1] == PAD) & (inputs[:, 1:] != PAD)
        if gaps.any():
            raise ValueError(
                f"sequence {int(gaps.any(axis=1).argmax())} has padding before its "
                "end; pad at the end only (see pad), or cutting would drop ids"
            )
        self.inputs, self.labels, self.batch_size = inputs, labels, batch_size
        self.rng = np.random.default_rng(seed)
        self.on_epoch_end()

    def __len__(self):
        return len(self.batches)

    def __getitem__(self, index):
        rows = self.batches[index]
        return self.inputs[rows, : self.lengths[rows].max()], self.labels[rows]

    def on_epoch_end(self):
        """New batches for the next epoch (Keras calls this after every epoch)."""
        order = self.rng.permutation(len(self.lengths))
        order = order[np.argsort(self.lengths[order], kind="stable")]
        batches = [
            order[i : i + self.batch_size] for i in range(0, len(order), self.batch_size)
        ]
        self.batches = [batches[i] for i in self.rng.permutation(len(batches))]
        # Keras guesses the shape of all batches from the first two: if both had the same
        # length, it would expect that length from every batch. Make the second one differ.
        widths = [self.lengths[rows].max() for rows in self.batches]
        other = next((i for i, w in enumerate(widths) if w != widths[0]), None)
        if other is not None and widths[1] == widths[0]:
            self.batches[1], self.batches[other] = self.batches[other], self.batches[1]

    def padding_fraction(self):
        """The fraction of the steps in this epoch's batches that are padding."""
        steps = sum(len(rows) * self.lengths[rows].max() for rows in self.batches)
        return 1 - self.lengths.sum() / steps


def windows(series, length, horizon=1):
    """Every window of `length` consecutive values, and the `horizon` values that follow it.

    Returns `inputs` of shape (N, length) and `targets` of shape (N, horizon), where
    N = len(series) - length - horizon + 1: `targets[i]` is series[i + length : i + length +
    horizon], what a forecaster that has read `inputs[i]` must predict.
    """
    series = np.asarray(series)
    if series.ndim != 1 or series.dtype.kind not in "fiu":
        raise ValueError(
            f"the series must be a 1-D array of numbers, got {series.dtype} {series.shape}"
        )
    for name, value in (("length", length), ("horizon", horizon)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    n = len(series) - length - horizon + 1
    if n < 1:
        raise ValueError(
            f"a window of {length} values and {horizon} to forecast need {length + horizon} "
            f"values, but the series has {len(series)}. Use a shorter window or a longer "
            "series."
        )
    missing = np.flatnonzero(~np.isfinite(series))
    if len(missing):
        raise ValueError(
            f"the series holds {len(missing)} NaN or infinite value(s), the first at "
            f"position {missing[0]}: fill or drop them before making windows."
        )
    view = np.lib.stride_tricks.sliding_window_view
    return view(series, length)[:n].copy(), view(series[length:], horizon).copy()
