"""Fixtures shared by the unit tests."""

import pytest

from rnnlib.data import load_dataset


@pytest.fixture(scope="session")
def mnist_5k():
    """The offline sample, loaded once per session (read-only, so tests cannot spoil it)."""
    return load_dataset("mnist-5k")
