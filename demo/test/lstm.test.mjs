// The page's forward pass against the golden file: per-row gates, cell and hidden states and
// probabilities of a few digits, as TensorFlow computed them (fixtures/, made by
// `python -m rnnlib.demo fixture demo/test/fixtures`; tests/test_demo.py keeps it fresh).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { argmax, parseModel, read, softmax } from "../site/lstm-demo/lstm.js";

const fixture = (name) => new URL(`./fixtures/${name}`, import.meta.url);
const manifest = JSON.parse(readFileSync(fixture("model.json"), "utf8"));
const model = parseModel(manifest, readFileSync(fixture(manifest.weights)));
const golden = JSON.parse(readFileSync(fixture("golden.json"), "utf8"));
const TOLERANCE = 1e-4;

function largestDifference(actual, expected) {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let k = 0; k < expected.length; k++) worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
  return worst;
}

test("the fixture is a real golden file", () => {
  assert.ok(golden.digits.length >= 3);
  const rows = golden.digits[0].rows;
  assert.equal(rows.i.length, model.nSteps);
  assert.equal(rows.i[0].length, model.units);
  // the weights drive every gate near 0 and near 1 somewhere: a test of more than the middle
  for (const gate of ["i", "f", "o"]) {
    const values = golden.digits.flatMap((digit) => digit.rows[gate].flat());
    assert.ok(Math.min(...values) < 0.05 && Math.max(...values) > 0.95, `gate ${gate}`);
  }
});

for (const [n, digit] of golden.digits.entries()) {
  test(`digit ${n} (a ${digit.label}): every row's gates, states and probabilities match TensorFlow`, () => {
    const image = digit.pixels.map((p) => Math.fround(p / 255));
    const result = read(model, image);
    assert.equal(result.rows.length, model.nSteps);
    for (const name of ["i", "f", "g", "o", "c", "h", "probabilities"]) {
      for (let t = 0; t < model.nSteps; t++) {
        const worst = largestDifference(result.rows[t][name], digit.rows[name][t]);
        assert.ok(worst <= TOLERANCE, `${name} at row ${t + 1} differs by ${worst}`);
      }
    }
    assert.equal(result.prediction, digit.prediction);
  });
}

test("the sample digits carry Keras' predictions, and the forward pass agrees", () => {
  assert.ok(manifest.samples.length > 0);
  for (const sample of manifest.samples) {
    const result = read(model, sample.pixels.map((p) => Math.fround(p / 255)));
    assert.equal(result.prediction, sample.keras_prediction);
    assert.ok(largestDifference(result.probabilities, sample.keras_probabilities) <= TOLERANCE);
  }
});

test("a blank image gives the bias path's answer, the same at every call", () => {
  const blank = new Float32Array(model.nSteps * model.nInput);
  const first = read(model, blank), second = read(model, blank);
  assert.deepEqual(first.probabilities, second.probabilities);
  assert.ok(Math.abs(first.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-12);
});

test("bad input is refused with a message that says what was expected", () => {
  assert.throws(() => read(model, new Float32Array(10)), /expected an image of 28 x 28 = 784 values, got 10/);
  assert.throws(() => parseModel({ ...manifest, format: "other" }, new ArrayBuffer(0)), /expected a rnnlib-lstm-demo\/1 manifest/);
  assert.throws(() => parseModel(manifest, new ArrayBuffer(16)), /runs past the end of the weights/);
  const wrongShape = structuredClone(manifest);
  wrongShape.tensors.bias.shape = [3];
  assert.throws(() => parseModel(wrongShape, readFileSync(fixture(manifest.weights))), /tensor bias: expected shape 32/);
});

test("softmax and argmax", () => {
  const p = softmax([1000, 1000, 0]); // large logits do not overflow
  assert.ok(Math.abs(p[0] - 0.5) < 1e-12 && p[2] < 1e-300);
  assert.equal(argmax([0.1, 0.7, 0.2]), 1);
});
