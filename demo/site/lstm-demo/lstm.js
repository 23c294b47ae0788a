// The book's classic network in plain JavaScript: one LSTM layer that reads a digit row by row,
// then a dense layer that turns the hidden state into ten probabilities. It returns every gate and
// state of every row, which TensorFlow.js would not. No DOM: the page and Node's tests share it.
//
// Weights come in Keras' layout, as rnnlib.demo.export writes them: `kernel` (inputs x 4 units),
// `recurrent_kernel` (units x 4 units) and `bias` (4 units): four blocks side by side, three gates
// and the candidate, in the order i, f, g, o, exactly as in rnnlib.model.ScratchLSTM.

export const FORMAT = "rnnlib-lstm-demo/1";

// Turn model.json (the manifest, parsed) and model.bin (an ArrayBuffer or a typed array such as
// Node's Buffer) into a model that `read` can run.
export function parseModel(manifest, weights) {
  if (manifest.format !== FORMAT) {
    throw new Error(`expected a ${FORMAT} manifest, got ${JSON.stringify(manifest.format)}`);
  }
  const bytes = weights instanceof ArrayBuffer ? new Uint8Array(weights)
    : new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  const aligned = bytes.slice().buffer; // a Float32Array needs an offset that is a multiple of 4
  const { units, n_input: nInput, n_steps: nSteps, n_classes: nClasses } = manifest;
  const expected = {
    kernel: [nInput, 4 * units], recurrent_kernel: [units, 4 * units], bias: [4 * units],
    dense_kernel: [units, nClasses], dense_bias: [nClasses],
  };
  const tensors = {};
  for (const [name, shape] of Object.entries(expected)) {
    const entry = manifest.tensors[name];
    if (!entry || entry.shape.join("x") !== shape.join("x")) {
      throw new Error(`tensor ${name}: expected shape ${shape.join("x")}, got ${entry && entry.shape.join("x")}`);
    }
    const length = shape.reduce((a, b) => a * b, 1);
    if (entry.offset + 4 * length > aligned.byteLength) {
      throw new Error(`tensor ${name} runs past the end of the weights (${aligned.byteLength} bytes)`);
    }
    tensors[name] = new Float32Array(aligned, entry.offset, length);
  }
  return {
    units, nInput, nSteps, nClasses,
    kernel: tensors.kernel, recurrentKernel: tensors.recurrent_kernel, bias: tensors.bias,
    denseKernel: tensors.dense_kernel, denseBias: tensors.dense_bias,
  };
}

const sigmoid = (z) => 1 / (1 + Math.exp(-z));

export function softmax(logits) {
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

export function argmax(values) {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

// What the dense head says about a hidden state h: ten probabilities.
export function head(model, h) {
  const { units, nClasses, denseKernel, denseBias } = model;
  const logits = Array.from(denseBias);
  for (let j = 0; j < units; j++) {
    if (h[j] === 0) continue;
    for (let k = 0; k < nClasses; k++) logits[k] += h[j] * denseKernel[j * nClasses + k];
  }
  return softmax(logits);
}

// Read an image (nSteps * nInput grey levels in [0, 1], row after row) and record every row:
// x (the row), the gates i, f, g, o, the cell state c and the hidden state h, and the
// probabilities the head would give if reading stopped at that row. The last row's are the
// network's answer.
export function read(model, image) {
  const { units, nInput, nSteps, kernel, recurrentKernel, bias } = model;
  if (image.length !== nSteps * nInput) {
    throw new Error(`expected an image of ${nSteps} x ${nInput} = ${nSteps * nInput} values, got ${image.length}`);
  }
  const width = 4 * units;
  const z = new Float64Array(width);
  let c = new Float64Array(units);
  let h = new Float64Array(units);
  const rows = [];
  for (let t = 0; t < nSteps; t++) {
    const x = Float64Array.from(image.slice(t * nInput, (t + 1) * nInput));
    z.set(bias); // z = x K + h R + b, all four blocks at once
    for (let j = 0; j < nInput; j++) {
      if (x[j] === 0) continue; // most pixels are blank paper
      const w = x[j], base = j * width;
      for (let k = 0; k < width; k++) z[k] += w * kernel[base + k];
    }
    for (let j = 0; j < units; j++) {
      const w = h[j], base = j * width;
      for (let k = 0; k < width; k++) z[k] += w * recurrentKernel[base + k];
    }
    const i = new Float64Array(units), f = new Float64Array(units);
    const g = new Float64Array(units), o = new Float64Array(units);
    const cNew = new Float64Array(units), hNew = new Float64Array(units);
    for (let k = 0; k < units; k++) {
      i[k] = sigmoid(z[k]);                  // input gate: how much of the candidate to write
      f[k] = sigmoid(z[units + k]);          // forget gate: how much of the old cell state to keep
      g[k] = Math.tanh(z[2 * units + k]);    // candidate values
      o[k] = sigmoid(z[3 * units + k]);      // output gate: how much of the cell state to show
      cNew[k] = f[k] * c[k] + i[k] * g[k];
      hNew[k] = o[k] * Math.tanh(cNew[k]);
    }
    c = cNew;
    h = hNew;
    rows.push({ x, i, f, g, o, c, h, probabilities: head(model, h) });
  }
  const probabilities = rows[rows.length - 1].probabilities;
  return { rows, probabilities, prediction: argmax(probabilities) };
}

