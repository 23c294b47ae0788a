"""Guards `rnnlib.sequences`: characters become ids and back, sequences of any length become one
padded array, length buckets cover every sequence once per epoch with little padding, windows
of a series line up with the values they forecast, and bad input (an empty sequence, an unknown
character, a window longer than the series) stops with an error that says what to do.
"""

import keras
import numpy as np
import pytest

from rnnlib.sequences import PAD, LengthBuckets, Vocabulary, pad, windows

# Vocabulary


def test_ids_start_at_one_and_round_trip():
    vocabulary = Vocabulary("cab")
    assert vocabulary.characters == ("a", "b", "c") and len(vocabulary) == 4
    ids = vocabulary.encode("abcab")
    assert ids.tolist() == [1, 2, 3, 1, 2] and ids.dtype == np.int32
    assert vocabulary.decode(ids) == "abcab"


def test_from_texts_collects_every_character():
    vocabulary = Vocabulary.from_texts(["hello", "world!"])
    assert "".join(vocabulary.characters) == "!dehlorw"


def test_decode_skips_padding():
    vocabulary = Vocabulary("ab")
    assert vocabulary.decode(np.array([2, 1, PAD, PAD])) == "ba"


def test_unknown_character_is_named():
    with pytest.raises(ValueError, match=r"does not know: \['å', 'ö'\]"):
        Vocabulary("abcdefghijklmnopqrstuvwxyz").encode("ångström")


@pytest.mark.parametrize("characters, message", [("", "at least one"), (["ab", "c"], "single")])
def test_bad_vocabularies_are_refused(characters, message):
    with pytest.raises(ValueError, match=message):
        Vocabulary(characters)


def test_encode_refuses_a_list_of_characters():
    with pytest.raises(TypeError, match="string"):
        Vocabulary("ab").encode(["a", "b"])


def test_decode_refuses_ids_outside_the_vocabulary():
    with pytest.raises(ValueError, match="valid ids: 0 to 2"):
        Vocabulary("ab").decode(np.array([1, 3]))


def test_encode_padded_pads_every_text_to_one_length():
    padded = Vocabulary("ab").encode_padded(["ab", "b"], length=4)
    assert padded.tolist() == [[1, 2, 0, 0], [2, 0, 0, 0]]


# pad


def test_pad_appends_zeros_up_to_the_longest():
    padded = pad([[3, 1], [2], [1, 2, 3]])
    assert padded.tolist() == [[3, 1, 0], [2, 0, 0], [1, 2, 3]] and padded.dtype == np.int32


def test_pad_to_a_given_length():
    assert pad([[5]], length=3).tolist() == [[5, 0, 0]]


@pytest.mark.parametrize(
    "sequences, length, message",
    [
        ([], None, "no sequences"),
        ([[1, 2], []], None, "sequence 1 is empty"),
        ([[1, 2, 3]], 2, "sequence 0 has 3 elements, more than length=2"),
        ([[1, 0, 2]], None, "holds the id 0, which is the padding"),
        ([[[1, 2]]], None, "1-D list of integer ids"),
        ([[0.5, 1.5]], None, "1-D list of integer ids"),
    ],
)
def test_pad_refuses_bad_sequences(sequences, length, message):
    with pytest.raises(ValueError, match=message):
        pad(sequences, length)


# LengthBuckets


@pytest.fixture
def padded_words():
    rng = np.random.default_rng(0)
    lengths = rng.integers(1, 17, 500)
    return pad([rng.integers(1, 30, n) for n in lengths]), rng.integers(0, 5, 500)


def test_every_sequence_appears_once_per_epoch_with_its_label(padded_words):
    inputs, labels = padded_words
    buckets = LengthBuckets(inputs, labels, batch_size=64)
    for _ in range(2):
        seen = np.concatenate(buckets.batches)
        assert sorted(seen.tolist()) == list(range(len(inputs)))
        for index in range(len(buckets)):
            x, y = buckets[index]
            rows = buckets.batches[index]
            np.testing.assert_array_equal(x, inputs[rows, : x.shape[1]])
            np.testing.assert_array_equal(y, labels[rows])
            assert (inputs[rows, x.shape[1] :] == PAD).all()  # only padding was cut
            assert (x[:, -1] != PAD).any()  # and no more than that
        buckets.on_epoch_end()


def test_a_batch_holds_sequences_of_about_the_same_length(padded_words):
    inputs, labels = padded_words
    buckets = LengthBuckets(inputs, labels, batch_size=64)
    ranges = sorted(
        (buckets.lengths[rows].min(), buckets.lengths[rows].max()) for rows in buckets.batches
    )
    for (_, high), (low, _) in zip(ranges, ranges[1:]):
        assert high <= low  # the batches' length ranges do not overlap
    fixed_padding = (inputs == PAD).mean()
    assert buckets.padding_fraction() < fixed_padding / 5


def test_batches_change_between_epochs_but_repeat_with_the_seed(padded_words):
    first = LengthBuckets(*padded_words, batch_size=64, seed=1)
    again = LengthBuckets(*padded_words, batch_size=64, seed=1)
    epoch_1 = [rows.tolist() for rows in first.batches]
    assert epoch_1 == [rows.tolist() for rows in again.batches]
    first.on_epoch_end()
    assert epoch_1 != [rows.tolist() for rows in first.batches]


@pytest.mark.parametrize(
    "inputs, labels, message",
    [
        ([[1, 2], [3, 0]], [0], "2 sequences but 1 labels"),
        ([[1, 2], [0, 0]], [0, 1], "sequence 1 is empty"),
        ([[1, 0, 2]], [0], "padding before its end"),
        ([1, 2, 3], [0, 1, 2], "2-D array"),
    ],
)
def test_length_buckets_refuse_bad_input(inputs, labels, message):
    with pytest.raises(ValueError, match=message):
        LengthBuckets(np.array(inputs), np.array(labels), batch_size=2)


def test_length_buckets_refuse_a_batch_size_of_zero(padded_words):
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        LengthBuckets(*padded_words, batch_size=0)


def test_keras_fits_on_length_buckets_of_any_length():
    """Keras guesses the batch shape from the first two batches: they must differ in length."""
    lengths = [5] * 100 + [9] * 10  # most batches are 5 long: the first two would often be
    inputs, labels = pad([np.arange(1, n + 1) for n in lengths]), np.zeros(110, dtype=int)
    buckets = LengthBuckets(inputs, labels, batch_size=10)
    assert buckets[0][0].shape[1] != buckets[1][0].shape[1]
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(10, 4, mask_zero=True),
            keras.layers.GRU(4),
            keras.layers.Dense(2),
        ]
    )
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(buckets, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3 and np.isfinite(history.history["loss"]).all()


# windows


def test_windows_and_the_values_that_follow_them():
    series = np.arange(10.0)
    inputs, targets = windows(series, length=3, horizon=2)
    assert inputs.shape == (6, 3) and targets.shape == (6, 2)
    assert inputs[0].tolist() == [0, 1, 2] and targets[0].tolist() == [3, 4]
    assert inputs[-1].tolist() == [5, 6, 7] and targets[-1].tolist() == [8, 9]


def test_windows_are_those_of_keras():
    series = np.sin(np.arange(50.0))
    inputs, targets = windows(series, length=7)
    dataset = keras.utils.timeseries_dataset_from_array(
        series[:-1], series[7:], sequence_length=7, batch_size=1000
    )
    keras_inputs, keras_targets = next(iter(dataset))
    np.testing.assert_array_equal(inputs, keras_inputs.numpy())
    np.testing.assert_array_equal(targets[:, 0], keras_targets.numpy())


def test_a_window_longer_than_the_series_is_an_error():
    with pytest.raises(ValueError, match="need 13 values, but the series has 10"):
        windows(np.arange(10.0), length=12, horizon=1)


@pytest.mark.parametrize(
    "series, length, horizon, message",
    [
        ([1.0, np.nan, 3.0, 4.0], 2, 1, "1 NaN or infinite value.*position 1"),
        (np.ones((5, 2)), 2, 1, "1-D array of numbers"),
        (["a", "b", "c"], 1, 1, "1-D array of numbers"),
        (np.arange(5.0), 0, 1, "length must be a positive integer"),
        (np.arange(5.0), 2, 1.5, "horizon must be a positive integer"),
    ],
)
def test_windows_refuse_bad_input(series, length, horizon, message):
    with pytest.raises(ValueError, match=message):
        windows(np.asarray(series), length, horizon)
