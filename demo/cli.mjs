// Run the page's forward pass in Node.js, for rnnlib.demo.javascript_forward:
//   node demo/cli.mjs MODEL_JSON IMAGES_F32 OUT_JSON [TRACES]
// IMAGES_F32 holds float32 images (little-endian, 784 values each). OUT_JSON receives the
// probabilities after the last row for every image, every row of the first TRACES images, and
// the time one image takes.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseModel, read } from "./site/lstm-demo/lstm.js";

const [modelPath, imagesPath, outPath, traces = "0"] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node demo/cli.mjs MODEL_JSON IMAGES_F32 OUT_JSON [TRACES]");
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(modelPath, "utf8"));
const model = parseModel(manifest, readFileSync(join(dirname(modelPath), manifest.weights)));
const bytes = readFileSync(imagesPath);
const pixels = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
const size = model.nSteps * model.nInput;
if (pixels.length % size !== 0) {
  console.error(`${imagesPath} holds ${pixels.length} values, not a whole number of ${size}-pixel images`);
  process.exit(2);
}
const probabilities = [], recorded = [];
const start = performance.now();
for (let n = 0; n * size < pixels.length; n++) {
  const result = read(model, pixels.subarray(n * size, (n + 1) * size));
  probabilities.push(result.probabilities);
  if (n < Number(traces)) {
    const rows = (name) => result.rows.map((row) => Array.from(row[name]));
    recorded.push(Object.fromEntries(["i", "f", "g", "o", "c", "h", "probabilities"].map((k) => [k, rows(k)])));
  }
}
const msPerPass = (performance.now() - start) / probabilities.length;
writeFileSync(outPath, JSON.stringify({ probabilities, traces: recorded, ms_per_pass: msPerPass }));
