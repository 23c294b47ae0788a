"""The in-browser demo "Watch an LSTM read": what it needs from Python, and its checks.

The demo (`demo/site/lstm-demo/` in the repository) runs the classic network in the reader's
browser, in plain JavaScript. This module
- exports a trained network's weights and a few test digits for it (`export`);
- records what TensorFlow computes at every row: gates, cell and hidden state, and the
  probabilities the dense head would give if reading stopped there (`trace`, `write_golden`);
- is the Python twin of the JavaScript that turns a drawing into an MNIST-like image
  (`rasterize`, `preprocess`), so the two can be tested against each other;
- runs the JavaScript itself with Node.js (`javascript_forward`).

`python -m rnnlib.demo fixture demo/test/fixtures` writes the JavaScript tests' small fixture.
"""

import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import keras
import numpy as np

from rnnlib.model import ScratchLSTM, build_model

FORMAT = "rnnlib-lstm-demo/1"
GATES = ("i", "f", "g", "o")  # Keras' order inside kernel, recurrent_kernel and bias
TRACED = GATES + ("c", "h")
REPOSITORY = Path(__file__).resolve().parents[1]
JAVASCRIPT = REPOSITORY / "demo"  # present in a clone of the repository, not in a pip install
SITE_MODEL = JAVASCRIPT / "site" / "lstm-demo" / "model"  # the book's build serves demo/site

# How a drawing becomes an MNIST digit; demo/site/lstm-demo/preprocess.js uses the same numbers.
# The drawing canvas is CANVAS pixels wide and high; the pen's diameter on it is PEN, chosen
# so that drawn digits carry as much ink as MNIST's (the demo chapter checks it). MNIST scaled
# every digit to fit a BOX x BOX box, keeping its aspect ratio, then placed it in a FIELD x
# FIELD field with its centre of mass at CENTRE (pixel-index coordinates, measured on mnist-5k).
CANVAS = 280
PEN = 26
BOX = 20
FIELD = 28
CENTRE = 14.0


def asset_folder():
    """Where the demo chapter exports the network: in a clone of the repository, into the folder
    the book's build copies into the site; elsewhere (Colab, say), next to the notebook."""
    return SITE_MODEL if JAVASCRIPT.is_dir() else Path("lstm-demo-model")


def drawn_digits():
    """The ten digits drawn for the browser test (demo/drawn_digits.json): label and strokes."""
    path = JAVASCRIPT / "drawn_digits.json"
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: it ships with a clone of the book's repository, "
            "not with `pip install rnnlib`"
        )
    return json.loads(path.read_text())["digits"]


def _lstm_and_head(model):
    """The model's LSTM layer and its dense head, or an error saying what the demo can read."""
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    kinds = [type(layer).__name__ for layer in layers]
    if kinds != ["LSTM", "Dense"]:
        raise ValueError(
            f"the demo reads one keras LSTM layer followed by one Dense layer "
            f"(build_model('lstm')); this model has {kinds}"
        )
    lstm, head = layers
    if lstm.go_backwards or not lstm.use_bias or not head.use_bias:
        raise ValueError(
            "the demo's forward pass assumes a forward LSTM and a dense layer, both with bias"
        )
    if lstm.activation.__name__ != "tanh" or lstm.recurrent_activation.__name__ != "sigmoid":
        raise ValueError(
            "the demo's forward pass assumes Keras' default activations (tanh, sigmoid)"
        )
    return lstm, head


def export(model, folder, images=None, labels=None, info=None):
    """Write the demo's asset into `folder`: `model.json` (manifest) and `model.bin` (weights).

    The weights are float32, little-endian, one after another as the manifest lists them.
    `images` and `labels` (optional) become the demo's sample digits, stored with Keras'
    prediction for each so the page can be checked against it. `info` (a dict) is stored as is.
    Returns the manifest.
    """
    lstm, head = _lstm_and_head(model)
    kernel, recurrent_kernel, bias = lstm.get_weights()
    dense_kernel, dense_bias = head.get_weights()
    tensors = {
        "kernel": kernel,
        "recurrent_kernel": recurrent_kernel,
        "bias": bias,
        "dense_kernel": dense_kernel,
        "dense_bias": dense_bias,
    }
    n_steps, n_input = model.input_shape[1:]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    layout, offset = {}, 0
    with open(folder / "model.bin", "wb") as f:
        for name, value in tensors.items():
            data = np.ascontiguousarray(value, dtype="<f4")
            f.write(data.tobytes())
            layout[name] = {"shape": list(data.shape), "offset": offset}
            offset += data.nbytes
    manifest = {
        "format": FORMAT,
        "units": lstm.units,
        "n_steps": n_steps,
        "n_input": n_input,
        "n_classes": head.units,
        "gate_order": list(GATES),
        "weights": "model.bin",
        "dtype": "float32",
        "byte_order": "little",
        "tensors": layout,
        "info": info or {},
        "samples": [],
    }
    if images is not None:
        pixels = as_bytes(images)
        probabilities = keras_probabilities(model, images)
        manifest["samples"] = [
            {
                "label": int(label),
                "keras_prediction": int(p.argmax()),
                "keras_probabilities": _rounded(p),
                "pixels": image.ravel().tolist(),
            }
            for image, label, p in zip(pixels, labels, probabilities)
        ]
    (folder / "model.json").write_text(json.dumps(manifest, separators=(",", ":")) + "\n")
    return manifest


def as_bytes(images):
    """Images in [0, 1] as the 0..255 integers they were made from (MNIST's are just that)."""
    images = np.asarray(images, dtype=np.float32)
    levels = np.round(images * 255)
    if np.abs(levels - images * 255).max() > 1e-3:
        raise ValueError(
            "the demo stores digits as 0..255 grey levels; these images are not k/255"
        )
    return levels.astype(np.uint8)


def from_bytes(pixels):
    """The float32 images Keras read: k / 255, as rnnlib.data makes them."""
    return (np.asarray(pixels, dtype=np.float64) / 255).astype(np.float32)


def keras_probabilities(model, images):
    logits = model.predict(np.asarray(images, dtype=np.float32), verbose=0)
    return np.asarray(keras.ops.softmax(logits, axis=-1))


def _rounded(values, digits=8):
    """Plain floats with `digits` significant digits: a JSON file a person can diff."""
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=np.float64).ravel()]


def trace(model, images):
    """What TensorFlow computes at each row, for each image: a dict of arrays.

    `i`, `f`, `g`, `o` (gates), `c`, `h` (cell and hidden state): shape (images, rows, units);
    `probabilities` (images, rows, classes) is the dense head applied to every row's h, that is,
    what the network would answer if reading stopped at that row. The gates come from
    `ScratchLSTM` carrying the LSTM's weights; its h at every row, its last c and its last-row
    probabilities are checked against Keras' own LSTM and model, and a mismatch raises.
    """
    lstm, head = _lstm_and_head(model)
    images = np.asarray(images, dtype=np.float32)
    scratch = ScratchLSTM(lstm.units)
    scratch.build(images.shape)
    scratch.set_weights(lstm.get_weights())
    steps = {name: np.asarray(value) for name, value in scratch.trace(images).items()}
    record = {
        short: steps[long]
        for short, long in zip(
            TRACED, ("input", "forget", "candidate", "output", "cell", "hidden")
        )
    }
    logits = record["h"] @ head.get_weights()[0] + head.get_weights()[1]
    record["probabilities"] = np.asarray(keras.ops.softmax(logits, axis=-1))

    keras_lstm = keras.layers.LSTM(lstm.units, return_sequences=True, return_state=True)
    keras_lstm.build(images.shape)
    keras_lstm.set_weights(lstm.get_weights())
    h_all, _, c_last = (np.asarray(v) for v in keras_lstm(images))
    checks = {
        "h at every row": np.abs(h_all - record["h"]).max(),
        "c at the last row": np.abs(c_last - record["c"][:, -1]).max(),
        "probabilities": np.abs(
            keras_probabilities(model, images) - record["probabilities"][:, -1]
        ).max(),
    }
    for what, difference in checks.items():
        if difference > 1e-5:
            raise RuntimeError(f"ScratchLSTM and Keras disagree on {what} by {difference:.2g}")
    return record


def write_golden(model, images, labels, path):
    """The golden file: each row's gates, states and probabilities for a few digits."""
    record = trace(model, images)
    digits = []
    for n, (pixels, label) in enumerate(zip(as_bytes(images), labels)):
        rows = {
            name: [_rounded(row) for row in record[name][n]]
            for name in (*TRACED, "probabilities")
        }
        digits.append(
            {
                "label": int(label),
                "pixels": pixels.ravel().tolist(),
                "prediction": int(record["probabilities"][n, -1].argmax()),
                "rows": rows,
            }
        )
    Path(path).write_text(
        json.dumps({"format": FORMAT, "digits": digits}, separators=(",", ":")) + "\n"
    )


# ---- A drawing becomes an MNIST digit (the twin of demo/site/lstm-demo/preprocess.js) ----


def rasterize(strokes, size=CANVAS, width=PEN):
    """Ink in [0, 1] on a size x size canvas: each stroke a round pen of diameter `width` drawn
    through its points, with anti-aliased edges (coverage falls from 1 to 0 over one pixel)."""
    ink = np.zeros((size, size))
    radius = width / 2
    for stroke in strokes:
        points = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        if len(points) == 0:
            continue
        pairs = zip(points, points[1:]) if len(points) > 1 else [(points[0], points[0])]
        for a, b in pairs:
            _stamp_segment(ink, a, b, radius)
    return ink


def _stamp_segment(ink, a, b, radius):
    """Ink one segment from a to b into `ink` (in place), keeping the darker of old and new."""
    size = ink.shape[0]
    (ax, ay), (bx, by) = a, b
    x0, x1 = (
        max(0, math.floor(min(ax, bx) - radius - 1)),
        min(size - 1, math.ceil(max(ax, bx) + radius + 1)),
    )
    y0, y1 = (
        max(0, math.floor(min(ay, by) - radius - 1)),
        min(size - 1, math.ceil(max(ay, by) + radius + 1)),
    )
    if x0 > x1 or y0 > y1:
        return
    cx = np.arange(x0, x1 + 1) + 0.5
    cy = (np.arange(y0, y1 + 1) + 0.5)[:, None]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = (
        np.zeros((len(cy), len(cx)))
        if length2 == 0
        else np.clip(((cx - ax) * dx + (cy - ay) * dy) / length2, 0, 1)
    )
    ex, ey = cx - (ax + t * dx), cy - (ay + t * dy)
    coverage = np.clip(radius + 0.5 - np.sqrt(ex * ex + ey * ey), 0, 1)
    np.maximum(ink[y0 : y1 + 1, x0 : x1 + 1], coverage, out=ink[y0 : y1 + 1, x0 : x1 + 1])


def area_weights(n, m):
    """The (m, n) matrix that shrinks n pixels to m by averaging: each new pixel is the mean
    of the old ones it covers, partly covered pixels counting in proportion."""
    scale = n / m
    weights = np.zeros((m, n))
    for j in range(m):
        low, high = j * scale, (j + 1) * scale
        for s in range(math.floor(low), min(n, math.ceil(high))):
            overlap = min(high, s + 1) - max(low, s)
            if overlap > 0:
                weights[j, s] = overlap / scale
    return weights


def _round_half_up(x):
    return math.floor(x + 0.5)


def preprocess(ink):
    """A drawing as MNIST made its digits: crop to the ink, shrink into a 20 x 20 box keeping
    the aspect ratio (grey levels by area averaging), darkest pixel to 1 (every MNIST digit has
    one), then place it in 28 x 28 with its centre of mass at the centre. Blank ink: zeros."""
    ink = np.asarray(ink, dtype=np.float64)
    rows, columns = np.flatnonzero(ink.max(axis=1) > 0), np.flatnonzero(ink.max(axis=0) > 0)
    image = np.zeros((FIELD, FIELD))
    if len(rows) == 0:
        return image
    crop = ink[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]
    height, width = crop.shape
    scale = BOX / max(height, width)
    new_height, new_width = (max(1, _round_half_up(n * scale)) for n in (height, width))
    small = area_weights(height, new_height) @ crop @ area_weights(width, new_width).T
    small /= small.max()
    total = small.sum()
    centre_y = (small.sum(axis=1) * np.arange(new_height)).sum() / total
    centre_x = (small.sum(axis=0) * np.arange(new_width)).sum() / total
    top = min(max(_round_half_up(CENTRE - centre_y), 0), FIELD - new_height)
    left = min(max(_round_half_up(CENTRE - centre_x), 0), FIELD - new_width)
    image[top : top + new_height, left : left + new_width] = small
    return image


def read_drawing(strokes):
    """The 28 x 28 float32 image the network reads for a drawing (strokes on the demo's pad)."""
    return preprocess(rasterize(strokes)).astype(np.float32)


# ---- The JavaScript, run by Node.js ----


def javascript_forward(model_dir, images, traces=0):
    """Run demo/cli.mjs (the page's own forward pass) with Node.js on `images`.

    Returns a dict: `probabilities` (images, classes) after the last row; `traces`, for the
    first `traces` images, the per-row arrays of `trace`; `ms_per_pass`, Node's time per image.
    """
    node, cli = shutil.which("node"), JAVASCRIPT / "cli.mjs"
    if node is None:
        raise RuntimeError(
            "Node.js is needed to run the demo's JavaScript: install it "
            "(Debian: apt-get install nodejs), then rerun"
        )
    if not cli.exists():
        raise RuntimeError(
            f"{cli} is missing: the JavaScript ships with a clone of the book's "
            "repository, not with `pip install rnnlib`"
        )
    images = np.asarray(images, dtype="<f4")
    with tempfile.TemporaryDirectory() as tmp:
        pixels, out = Path(tmp) / "images.f32", Path(tmp) / "out.json"
        pixels.write_bytes(images.tobytes())
        subprocess.run(
            [
                node,
                str(cli),
                str(Path(model_dir) / "model.json"),
                str(pixels),
                str(out),
                str(traces),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.read_text())
    return {
        "probabilities": np.array(result["probabilities"]),
        "traces": {
            name: np.array([t[name] for t in result["traces"]])
            for name in (*TRACED, "probabilities")
        }
        if traces
        else {},
        "ms_per_pass": result["ms_per_pass"],
    }


# ---- The JavaScript tests' fixture ----


def fixture_model(units=8, seed=0):
    """A small LSTM with seeded random weights, large enough for the gates to saturate."""
    rng = np.random.default_rng(seed)
    model = build_model(n_hidden=units, name="fixture")
    model.set_weights(
        [rng.normal(0, 0.8, w.shape).astype(np.float32) for w in model.get_weights()]
    )
    return model


def write_fixture(folder, n_digits=3):
    """The JavaScript tests' fixture: a small model (model.json, model.bin), its golden file
    for a few mnist-5k test digits, and the preprocessing of the digits drawn for the browser
    test."""
    from rnnlib.data import load_dataset

    folder = Path(folder)
    dataset = load_dataset("mnist-5k")
    images, labels = dataset.x_test[:n_digits], dataset.y_test[:n_digits]
    model = fixture_model()
    export(model, folder, images, labels, info={"what": "test fixture: seeded random weights"})
    write_golden(model, images, labels, folder / "golden.json")
    drawn = drawn_digits()
    preprocessed = {
        "canvas": CANVAS,
        "pen": PEN,
        "box": BOX,
        "field": FIELD,
        "centre": CENTRE,
        "digits": [
            {
                "label": d["label"],
                "strokes": d["strokes"],
                "image": _rounded(preprocess(rasterize(d["strokes"])), 12),
            }
            for d in drawn
        ],
    }
    (folder / "preprocessed.json").write_text(
        json.dumps(preprocessed, separators=(",", ":")) + "\n"
    )


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "fixture":
        raise SystemExit(
            "usage: python -m rnnlib.demo fixture FOLDER   (e.g. demo/test/fixtures)"
        )
    write_fixture(args[1])
    print(f"wrote the JavaScript tests' fixture into {args[1]}")


if __name__ == "__main__":
    main()
