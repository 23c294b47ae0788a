// The page's preprocessing of a drawing against its Python twin (rnnlib.demo.preprocess) on the
// ten digits drawn for the browser test (demo/drawn_digits.json): the same 28 x 28 image, to
// within 1e-9 (both compute in float64; only the order of some sums differs).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { BOX, CANVAS, CENTRE, FIELD, PEN, preprocess, rasterize, readDrawing } from "../site/lstm-demo/preprocess.js";

const python = JSON.parse(readFileSync(new URL("./fixtures/preprocessed.json", import.meta.url), "utf8"));
const TOLERANCE = 1e-9;

test("JavaScript and Python use the same constants", () => {
  assert.deepEqual({ canvas: CANVAS, pen: PEN, box: BOX, field: FIELD, centre: CENTRE },
    { canvas: python.canvas, pen: python.pen, box: python.box, field: python.field, centre: python.centre });
});

for (const digit of python.digits) {
  test(`the drawn ${digit.label} becomes the same image as in Python`, () => {
    const image = readDrawing(digit.strokes);
    assert.equal(image.length, FIELD * FIELD);
    let worst = 0;
    for (let k = 0; k < image.length; k++) worst = Math.max(worst, Math.abs(image[k] - digit.image[k]));
    assert.ok(worst <= TOLERANCE, `largest difference ${worst}`);
  });
}

test("the result looks like an MNIST digit: fits 20 x 20, darkest pixel 1, centre of mass near 14", () => {
  for (const digit of python.digits) {
    const { image, placed, blank } = preprocess(rasterize(digit.strokes));
    assert.equal(blank, false);
    assert.equal(Math.max(placed.height, placed.width), BOX);
    assert.equal(Math.max(...image), 1);
    let total = 0, y = 0, x = 0;
    image.forEach((v, k) => { total += v; y += v * Math.floor(k / FIELD); x += v * (k % FIELD); });
    assert.ok(Math.abs(y / total - CENTRE) <= 0.5 && Math.abs(x / total - CENTRE) <= 0.5);
  }
});

test("a blank canvas reads as a blank image", () => {
  const { image, blank } = preprocess(new Float64Array(CANVAS * CANVAS));
  assert.equal(blank, true);
  assert.ok(image.every((v) => v === 0));
});

test("a single dot is inked as a round spot of the pen's size", () => {
  const ink = rasterize([[[100, 100]]]);
  const inked = ink.filter((v) => v > 0.5).length;
  const area = Math.PI * (PEN / 2) ** 2;
  assert.ok(Math.abs(inked - area) / area < 0.05, `${inked} pixels for a pen of area ${area}`);
});

test("a digit drawn small or off-centre reads like the same digit drawn large in the middle", () => {
  const strokes = python.digits[7].strokes;
  const moved = strokes.map((s) => s.map(([x, y]) => [x * 0.5 + 10, y * 0.5 + 120]));
  const a = readDrawing(strokes), b = readDrawing(moved);
  let same = 0;
  for (let k = 0; k < a.length; k++) same += Math.min(a[k], b[k]);
  const inkA = a.reduce((s, v) => s + v, 0);
  assert.ok(same / inkA > 0.6, `overlap ${same / inkA}`);
});
