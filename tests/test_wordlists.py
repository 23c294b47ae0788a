"""Guards `rnnlib.wordlists`: the words are cleaned of what would give their language away,
words of several languages are dropped, the split is balanced and disjoint (no word, and no
word's stem within a language, in two parts), and a missing word list names the Debian package
that installs it. The last test reads the real lists that `make install` installs.
"""

import numpy as np
import pytest

from rnnlib import wordlists
from rnnlib.corpora import MissingPackageError
from rnnlib.wordlists import LANGUAGES, clean_words, language_split, read_word_list


def test_clean_words_lowercases_and_keeps_only_words_of_letters():
    raw = [
        "Haus",
        "haus",
        "dog's",
        "aujourd'hui",
        "c.-à-d.",
        "Ärger",
        "ab",
        "x" * 17,
        "señor",
        "ja3",
    ]
    assert clean_words(raw) == ["haus", "señor", "ärger"]


def test_clean_words_length_bounds():
    assert clean_words(["ab", "abc", "abcd"], min_length=2, max_length=3) == ["ab", "abc"]


@pytest.fixture
def dict_dir(tmp_path):
    """Five small word lists: 400 words each, made of stems of 4 forms, plus shared words."""
    rng = np.random.default_rng(0)
    letters = list("abcdefghijklmnopqrstuvwxyz")
    for _, name in LANGUAGES.values():
        stems = {"".join(rng.choice(letters, 5)) for _ in range(100)}
        words = [stem + ending for stem in stems for ending in ("", "a", "en", "ung")]
        words += ["taxi", "hotel"]  # in every list: must be dropped
        (tmp_path / name).write_text("\n".join(words) + "\n", encoding="utf-8")
    return tmp_path


def test_split_is_balanced_disjoint_and_keeps_stems_together(dict_dir):
    split = language_split(sizes=(40, 10, 20), folder=dict_dir)
    assert split.languages == tuple(LANGUAGES)
    assert split.shared == ["hotel", "taxi"]
    assert split.counts["German"] == (402, 402, 400)  # as shipped, cleaned, not shared
    for part, size in zip(("train", "validation", "test"), (40, 10, 20)):
        assert np.bincount(split.labels[part]).tolist() == [size] * 5
        assert not {"taxi", "hotel"} & set(split.words[part])
    parts = list(split.words)
    for i, first in enumerate(parts):
        for second in parts[i + 1 :]:
            assert not set(split.words[first]) & set(split.words[second])
            for label in range(5):
                stems = [
                    {
                        wordlists.stem(w)
                        for w, y in zip(split.words[part], split.labels[part])
                        if y == label
                    }
                    for part in (first, second)
                ]
                assert not stems[0] & stems[1], f"a {split.languages[label]} stem in two parts"


def test_split_repeats_with_its_seed_and_changes_with_another(dict_dir):
    first, again = (language_split((40, 10, 20), seed=3, folder=dict_dir) for _ in range(2))
    other = language_split((40, 10, 20), seed=4, folder=dict_dir)
    assert first.words == again.words
    np.testing.assert_array_equal(first.labels["test"], again.labels["test"])
    assert first.words["test"] != other.words["test"]


def test_asking_for_more_words_than_a_list_has_is_an_error(dict_dir):
    with pytest.raises(ValueError, match="only .* words left for the train part"):
        language_split(sizes=(10_000, 10, 10), folder=dict_dir)


def test_a_missing_list_names_its_package_and_the_install_command(tmp_path):
    with pytest.raises(MissingPackageError) as error:
        read_word_list("German", folder=tmp_path)
    message = str(error.value)
    assert "wngerman" in message and "sudo apt-get install wngerman" in message
    assert "make install" in message


def test_an_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="unknown language 'Klingon'"):
        read_word_list("Klingon")


def test_the_installed_lists():
    split = language_split()
    assert len(split.words["train"]) == 15_000 and len(split.words["test"]) == 5_000
    assert len(split.shared) > 1000  # English borrows many French words, and so on
    assert {"taxi", "radio"} <= set(split.shared)
    letters = set(wordlists.ALPHABET)
    assert all(set(w) <= letters for part in split.words.values() for w in part)
