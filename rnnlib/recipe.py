"""The book's standard recipe: the classic network, trained on a fixed sample budget, with a held-out split.

Steps 6 and 7 both need a trained network. They train it with this one function, so a reader can open
either chapter alone (on Colab, say) and get the same network, and the recipe is written down once.
"""
import keras

from rnnlib.model import build_model
from rnnlib.train import epochs_for_budget, train

SAMPLES = 60_000          # about 15 passes over mnist-5k, one over full MNIST: under a minute on 2 cores
VALIDATION_FRACTION = 0.1


def hold_out(dataset, fraction=VALIDATION_FRACTION):
    """Split the last `fraction` of the training images off as held-out data: (smaller dataset, (x, y)).

    Decisions such as when to stop are made on this part; the test set stays unseen until the end.
    """
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must lie strictly between 0 and 1, got {fraction!r}")
    n_train = len(dataset.x_train) - round(len(dataset.x_train) * fraction)
    return dataset.subset(n_train=n_train), (dataset.x_train[n_train:], dataset.y_train[n_train:])


def train_classic(dataset, samples=SAMPLES, fraction=VALIDATION_FRACTION, **train_options):
    """Build the classic LSTM (seeded) and train it on about `samples` examples; return (model, history).

    A `fraction` of the training set is held out and evaluated after every epoch; other keyword
    arguments (`display_step`, `verbose`, ...) go to `rnnlib.train.train`.
    """
    kept, validation = hold_out(dataset, fraction)
    keras.utils.set_random_seed(0)
    model = build_model()
    history = train(model, kept, epochs=epochs_for_budget(kept, samples), validation_data=validation,
                    seed=0, **train_options)
    return model, history
