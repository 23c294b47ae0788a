"""Training recipes: what a recipe builds and how it optimises, and `run`'s contract: seeded,
scored on the held-out part of the training set, the test set only when asked."""

import dataclasses

import keras
import numpy as np
import pytest

from rnnlib.recipes import (
    CLASSIC,
    RECOMMENDED,
    Recipe,
    Result,
    clearly_better,
    held_out_scores,
    mean_and_spread,
    repeat,
    run,
    summarize,
    train_classic,
    verdict,
)


@pytest.fixture(scope="module")
def small(mnist_5k):
    return mnist_5k.subset(n_train=200, n_test=50)


def test_the_classic_recipe_is_the_2017_tutorial():
    model = CLASSIC.build()
    assert isinstance(model.layers[0], keras.layers.LSTM) and model.layers[0].units == 128
    optimizer = CLASSIC.optimizer(steps=100)
    assert float(optimizer.learning_rate) == pytest.approx(1e-3) and optimizer.clipnorm is None
    assert CLASSIC.batch_size == 128


def test_a_cosine_recipe_decays_to_zero_over_the_given_steps():
    optimizer = RECOMMENDED.optimizer(steps=100)
    schedule = optimizer._learning_rate  # the schedule object, not its value now
    assert float(schedule(0)) == pytest.approx(RECOMMENDED.learning_rate)
    assert float(schedule(50)) == pytest.approx(RECOMMENDED.learning_rate / 2, rel=1e-5)
    assert float(schedule(100)) == pytest.approx(0.0, abs=1e-9)
    assert optimizer.clipnorm == RECOMMENDED.clipnorm


def test_a_recipe_builds_the_network_it_names():
    recipe = Recipe(
        cell="gru", n_hidden=8, n_layers=2, bidirectional=True, layer_options={"dropout": 0.1}
    )
    model = recipe.build(n_classes=3)
    recurrent = [
        layer for layer in model.layers if isinstance(layer, keras.layers.Bidirectional)
    ]
    assert len(recurrent) == 2 and recurrent[0].forward_layer.dropout == 0.1
    assert isinstance(recurrent[0].forward_layer, keras.layers.GRU)
    assert model.output_shape == (None, 3)
    assert Recipe(cell="cnn").build().get_layer("conv1") is not None


def test_run_scores_the_held_out_part_and_leaves_the_test_set_alone(small, monkeypatch):
    scored = []
    monkeypatch.setattr(
        "rnnlib.recipes.accuracy", lambda model, x, y, **kw: scored.append(len(x)) or 0.5
    )
    result = run(dataclasses.replace(CLASSIC, n_hidden=8), small, epochs=2, fraction=0.1)
    assert scored == [20]  # 10% of 200, never the 50 test images
    assert result.test_accuracy is None and result.val_accuracy == 0.5
    assert len(result.history.epochs["val_accuracy"]) == 2
    assert result.history.steps["samples"][-1] == 2 * 180
    run(dataclasses.replace(CLASSIC, n_hidden=8), small, epochs=1, fraction=0.1, test=True)
    assert sorted(scored[-2:]) == [20, 50]  # asked for: now the test set too


def test_run_is_deterministic_and_the_seed_matters(small):
    recipe = dataclasses.replace(CLASSIC, n_hidden=8)
    first, second, other = (run(recipe, small, epochs=1, seed=seed) for seed in (0, 0, 1))
    assert all(
        np.array_equal(a, b)
        for a, b in zip(first.model.get_weights(), second.model.get_weights())
    )
    assert first.history.steps["loss"] != other.history.steps["loss"]


def test_repeat_runs_one_seed_each(small):
    results = repeat(dataclasses.replace(CLASSIC, n_hidden=4), small, epochs=1, seeds=(0, 1))
    assert (
        len(results) == 2
        and results[0].history.steps["loss"] != results[1].history.steps["loss"]
    )


def test_mean_and_spread_and_a_clear_ranking():
    assert mean_and_spread([0.9, 0.92, 0.94]) == (pytest.approx(0.92), pytest.approx(0.02))
    assert mean_and_spread([0.9]) == (0.9, 0.0)
    assert clearly_better([0.95, 0.96], [0.93, 0.94])
    assert not clearly_better([0.95, 0.93], [0.94, 0.92])  # the runs overlap: no ranking
    assert verdict([0.95, 0.96], [0.93, 0.94]) == "higher"
    assert verdict([0.93, 0.94], [0.95, 0.96]) == "lower"
    assert verdict([0.95, 0.93], [0.94, 0.92]) == "no measurable difference"


def test_summarize_gives_mean_spread_seconds_and_a_verdict_per_recipe():
    def runs(*scores):
        return [Result(None, None, score, None, 2.0) for score in scores]

    results = {"a": runs(0.90, 0.92), "b": runs(0.95, 0.96), "c": runs(0.91, 0.97)}
    rows = {row["recipe"]: row for row in summarize(results, baseline="a")}
    assert rows["b"]["held-out accuracy"] == pytest.approx(0.955)
    assert rows["b"]["spread"] == pytest.approx(0.00707, abs=1e-5)
    assert rows["b"]["seconds"] == 2.0
    assert [rows[name]["against a"] for name in "abc"] == [
        "",
        "higher",
        "no measurable difference",
    ]
    assert "against a" not in summarize(results)[0]


def test_held_out_scores_keeps_each_recipes_runs_in_order():
    results = {"a": [Result(None, None, score, None, 1.0) for score in (0.9, 0.8)], "b": []}
    assert held_out_scores(results) == {"a": [0.9, 0.8], "b": []}


def test_train_classic_trains_on_the_budget(small):
    model, history = train_classic(small, samples=360)
    assert len(history.epochs["loss"]) == 2  # 360 samples / 180 images = 2 epochs
    assert len(history.epochs["val_accuracy"]) == 2
    assert model.layers[0].units == 128


def test_a_standardizing_recipe_takes_its_statistics_from_the_training_images(small):
    recipe = dataclasses.replace(RECOMMENDED, n_hidden=4)
    model = recipe.build(10, small.x_train)
    layer = model.get_layer("standardize")
    assert float(np.ravel(layer.mean)[0]) == pytest.approx(small.x_train.mean(), rel=1e-5)
    assert float(np.ravel(layer.variance)[0]) == pytest.approx(small.x_train.var(), rel=1e-4)
    with pytest.raises(ValueError, match="training images"):
        recipe.build(10)


def test_run_with_nothing_held_out_trains_on_every_training_image(small):
    result = run(
        dataclasses.replace(CLASSIC, n_hidden=4), small, epochs=1, fraction=None, test=True
    )
    assert result.val_accuracy is None and result.test_accuracy is not None
    assert result.history.steps["samples"][-1] == len(small.x_train)
