"""Step 7: the trained variables predict new, unseen input; how good are the predictions?"""

import numpy as np
import tensorflow as tf

from rnnlib.validate import check_images, check_labels, model_input_shape, model_output_size


def predict_logits(model, images, batch_size=512, pixel_range=(0.0, 1.0)):
    """The model's logits for every image, computed in batches."""
    n_steps, n_input = model_input_shape(model)
    images = check_images(images, n_steps=n_steps, n_input=n_input, pixel_range=pixel_range)
    return np.asarray(model.predict(images, batch_size=batch_size, verbose=0))


def predict_proba(model, images, **options):
    """Class probabilities: the softmax of the logits."""
    return tf.nn.softmax(predict_logits(model, images, **options)).numpy()


def predict(model, images, **options):
    """The predicted class id of every image."""
    return predict_logits(model, images, **options).argmax(axis=1)


def accuracy(model, images, labels, **options):
    """The fraction of images whose predicted class equals the label."""
    n_outputs = model_output_size(model)
    labels = check_labels(
        labels,
        n_outputs,
        why_n_classes=(
            f"the model outputs {n_outputs} logits: fix the labels, or build the model with "
            "more classes"
        ),
    )
    if len(labels) != len(images):
        raise ValueError(f"there are {len(images)} images but {len(labels)} labels")
    return float((predict(model, images, **options) == labels).mean())


def confusion_matrix(labels, predictions, n_classes=10):
    """Counts: row = true class, column = predicted class."""
    labels, predictions = check_labels(labels, n_classes), check_labels(predictions, n_classes)
    if len(labels) != len(predictions):
        raise ValueError(f"{len(labels)} labels but {len(predictions)} predictions")
    matrix = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(matrix, (labels, predictions), 1)
    return matrix


def per_class_accuracy(matrix):
    """The diagonal of the confusion matrix over its row sums: how often each class is right."""
    return np.diag(matrix) / np.maximum(matrix.sum(axis=1), 1)


def confident_mistakes(probabilities, labels, k=10):
    """Indices of the `k` most confident wrong predictions, most confident first."""
    labels = check_labels(labels, probabilities.shape[1])
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != labels)
    confidence = probabilities[wrong, predicted[wrong]]
    return wrong[np.argsort(-confidence, kind="stable")[:k]]
