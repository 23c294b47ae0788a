"""Checks on images, labels and models that turn silent mistakes into clear errors.

A wrong input to an RNN rarely crashes: a flattened image becomes 1 step of 784 inputs, 0..255
pixels saturate every gate, one-hot labels broadcast into a nonsense loss. These checks catch
those mistakes at the door and say how to fix them.
"""

import numpy as np


def check_images(x, n_steps=None, n_input=None, pixel_range=(0.0, 1.0)):
    """Return `x` as float32 of shape (N, steps, inputs), or raise an error that says why.

    `pixel_range=None` skips the range check, for inputs that are deliberately not in [0, 1].
    """
    if not hasattr(x, "shape"):
        raise TypeError(f"images must be a NumPy array or tensor, got {type(x).__name__}")
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        raise TypeError(f"images must be numbers, got dtype {x.dtype}")
    if x.ndim == 2 and x.shape[1] == 784:
        raise ValueError(
            f"images have shape {x.shape}: they look flattened. An RNN reads each image as 28 "
            "rows "
            "of 28 pixels; reshape with x.reshape(-1, 28, 28)."
        )
    if x.ndim == 4 and x.shape[-1] == 1:
        raise ValueError(
            f"images have shape {x.shape} with a channel axis; drop it with x[..., 0] "
            "to get (N, 28, 28)."
        )
    if x.ndim != 3:
        raise ValueError(
            f"images must have shape (N, steps, inputs) such as (N, 28, 28), got {x.shape}"
        )
    if len(x) == 0:
        raise ValueError("images are empty (N = 0); pass at least one image")
    expected = (n_steps, n_input)
    if any(e is not None and e != s for e, s in zip(expected, x.shape[1:])):
        raise ValueError(
            f"images have {x.shape[1]} steps of {x.shape[2]} inputs, but the model expects "
            f"{n_steps} steps of {n_input} inputs"
        )
    x = x.astype(np.float32, copy=False)
    if not np.isfinite(x).all():
        bad = int((~np.isfinite(x)).sum())
        raise ValueError(
            f"images contain {bad} NaN or infinite values; clean or drop those images"
        )
    if pixel_range is not None:
        low, high = pixel_range
        if x.min() >= 0 and high < x.max() <= 255:  # non-negative, above 1: bytes
            raise ValueError(
                f"pixel values go up to {x.max():g}: they look like 0..255 bytes. "
                "Scale them to [0, 1] with x / 255.0."
            )
        if x.min() < low or x.max() > high:
            raise ValueError(
                f"pixel values span [{x.min():g}, {x.max():g}], outside [{low:g}, {high:g}]; "
                "scale them, or pass pixel_range=None if that is intended."
            )
    return x


def check_labels(y, n_classes=10, why_n_classes=None):
    """Return `y` as int64 class ids of shape (N,), or raise an error that says what is wrong.

    `why_n_classes` names where the number of classes comes from (a model's output size), so
    that an out-of-range error points at the right thing to fix.
    """
    if not hasattr(y, "shape"):
        raise TypeError(f"labels must be a NumPy array or tensor, got {type(y).__name__}")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == n_classes and len(y) > 0:
        raise ValueError(
            f"labels have shape {y.shape}: they look one-hot encoded. This function expects "
            "integer "
            "class ids of shape (N,); convert with y.argmax(axis=1)."
        )
    if y.ndim != 1:
        raise ValueError(f"labels must have shape (N,) of integer class ids, got {y.shape}")
    if len(y) == 0:
        raise ValueError("labels are empty (N = 0); pass at least one label")
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError("labels contain NaN or infinite values")
        if not np.array_equal(y, np.round(y)):
            raise ValueError("labels must be whole class ids such as 3, got fractional values")
    elif y.dtype.kind not in "iub":
        raise TypeError(f"labels must be integer class ids, got dtype {y.dtype}")
    y = y.astype(np.int64)
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(
            f"labels span {y.min()}..{y.max()}, but class ids must lie in 0..{n_classes - 1}"
            + (f" ({why_n_classes})" if why_n_classes else "")
        )
    return y


def check_pair(x, y, n_classes=10, **image_options):
    """Check images and labels together: each is valid and there is one label per image."""
    x = check_images(x, **image_options)
    y = check_labels(y, n_classes)
    if len(x) != len(y):
        raise ValueError(
            f"there are {len(x)} images but {len(y)} labels; they must match one to one"
        )
    return x, y


def model_input_shape(model):
    """The (steps, inputs) of each sequence the model reads, from its input shape."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        raise ValueError(
            f"the model {getattr(model, 'name', model)!r} has no input shape yet; give it one "
            "with keras.Input(shape=(28, 28)) as its first layer, or call it once on a batch "
            "of "
            "images"
        )
    return tuple(inputs[0].shape[1:3])


def model_output_size(model):
    """How many logits the model returns per example."""
    outputs = getattr(model, "outputs", None)
    if not outputs:
        raise ValueError(
            f"the model {getattr(model, 'name', model)!r} has no output shape yet; give it an "
            "input shape with keras.Input(...) as its first layer, or call it once on a batch "
            "of "
            "images"
        )
    return outputs[0].shape[-1]


def check_model_outputs(model, n_classes):
    """Raise if the model's output size does not match the number of classes of the data."""
    n_outputs = model_output_size(model)
    if n_outputs != n_classes:
        raise ValueError(
            f"the model outputs {n_outputs} logits but the data has {n_classes} classes; "
            f"build it with n_classes={n_classes}"
        )
