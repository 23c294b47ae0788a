"""Words of five languages, from the word lists that Debian packages install in /usr/share/dict.

The lists come with quirks that would let a network guess the language for the wrong reason,
or that make the question ill-posed. `clean_words` and `language_split` remove them:
- German capitalises its nouns, the French and Spanish lists hold no capital at all: every
  word is lowercased, so that a capital letter gives nothing away.
- The American list holds possessives ("dog's"), the French one "aujourd'hui" and "c.-à-d.":
  only words made of the letters of `ALPHABET` are kept.
- Some words are in several lists ("taxi", "via"): their language is not a property of the
  word, so they are dropped from every list.
- Inflected forms of one word ("einknöpfe", "einknöpfen") share their first letters: words
  that share their first `STEM_LETTERS` letters always land in the same part of the split, so
  that the test set does not reward learning a training word's other forms by heart.
"""

import collections
import dataclasses
import re
from pathlib import Path

import numpy as np

from rnnlib.corpora import packaged_file

DICT_DIR = Path("/usr/share/dict")
# Language -> (Debian package, file in /usr/share/dict).
LANGUAGES = {
    "English": ("wamerican", "american-english"),
    "German": ("wngerman", "ngerman"),
    "French": ("wfrench", "french"),
    "Spanish": ("wspanish", "spanish"),
    "Italian": ("witalian", "italian"),
}
# The lowercase letters of the five languages (not å: only a few English loanwords use it).
ALPHABET = "abcdefghijklmnopqrstuvwxyz" + "àáâäçèéêëìíîïñòóôöùúûüß"
STEM_LETTERS = 5


def read_word_list(language, folder=DICT_DIR):
    """The words of one language's list, exactly as the Debian package ships them."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    package, name = LANGUAGES[language]
    path = packaged_file(Path(folder) / name, package)
    return path.read_text(encoding="utf-8").split()


def clean_words(words, min_length=3, max_length=16):
    """The distinct lowercased words made of `ALPHABET` letters only, of length in bounds."""
    word = re.compile(f"[{ALPHABET}]{{{min_length},{max_length}}}")
    return sorted({w for w in map(str.lower, words) if word.fullmatch(w)})


@dataclasses.dataclass
class LanguageSplit:
    """Words and their language ids (index into `languages`), in three disjoint parts."""

    languages: tuple
    words: dict  # "train" / "validation" / "test" -> list of words
    labels: dict  # the same keys -> int64 array of language ids
    shared: list  # the words that several lists hold, dropped from all of them
    counts: dict  # language -> words in its list: as shipped, cleaned, and not shared

    def __repr__(self):
        sizes = ", ".join(f"{len(w):,} {part}" for part, w in self.words.items())
        return f"LanguageSplit({', '.join(self.languages)}: {sizes})"


def stem(word):
    return word[:STEM_LETTERS]


def language_split(sizes=(3000, 500, 1000), seed=0, folder=DICT_DIR, **cleaning):
    """Per language, `sizes` = (train, validation, test) words, sampled from disjoint stems.

    Every language gets the same number of words (balanced classes). `cleaning` is passed to
    `clean_words` (min_length, max_length).
    """
    raw = {language: read_word_list(language, folder) for language in LANGUAGES}
    lists = {language: clean_words(words, **cleaning) for language, words in raw.items()}
    in_lists = collections.Counter(word for words in lists.values() for word in words)
    shared = {word for word, n_lists in in_lists.items() if n_lists > 1}
    rng = np.random.default_rng(seed)
    parts = ("train", "validation", "test")
    words = {part: [] for part in parts}
    labels = {part: [] for part in parts}
    counts = {}
    for label, (language, all_words) in enumerate(lists.items()):
        by_stem = {}
        for word in all_words:
            if word not in shared:
                by_stem.setdefault(stem(word), []).append(word)
        counts[language] = (len(raw[language]), len(all_words), sum(map(len, by_stem.values())))
        pools = _pools_of_whole_stems(by_stem, sizes, rng)
        for part, size in zip(parts, sizes):
            if len(pools[part]) < size:
                raise ValueError(
                    f"{language} has only {len(pools[part])} words left for the {part} part "
                    f"but {size} were asked for: ask for fewer"
                )
            chosen = rng.choice(len(pools[part]), size, replace=False)
            words[part] += [pools[part][i] for i in chosen]
            labels[part] += [label] * size
    for part in parts:
        order = rng.permutation(len(words[part]))
        words[part] = [words[part][i] for i in order]
        labels[part] = np.array(labels[part], dtype=np.int64)[order]
    return LanguageSplit(tuple(LANGUAGES), words, labels, sorted(shared), counts)


def _pools_of_whole_stems(by_stem, sizes, rng):
    """The words of `by_stem` in three pools, in proportion to `sizes`, each stem in one pool.

    Each part then samples its words from its pool, which spans thousands of stems: a test set
    drawn from a few stems would hold many forms of the same few words.
    """
    stems = sorted(by_stem)
    rng.shuffle(stems)
    n_words = np.array([len(by_stem[s]) for s in stems])
    words_before = np.cumsum(n_words) - n_words
    bounds = np.cumsum([sizes[2], sizes[1]]) / sum(sizes) * n_words.sum()
    pool_of_stem = np.searchsorted(bounds, words_before, side="right")  # test, val., train
    pools = {"test": [], "validation": [], "train": []}
    for s, pool in zip(stems, pool_of_stem):
        pools[("test", "validation", "train")[pool]] += by_stem[s]
    return pools
