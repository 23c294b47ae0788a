// "Watch an LSTM read": the page's widget. It fills <div id="lstm-demo" data-model="..."> with a
// drawing pad, the 28 x 28 image the network reads, a row scrubber, the gates and states of the
// current row, and the probabilities row by row. The arithmetic lives in lstm.js and
// preprocess.js (no DOM, tested in Node); this file only draws. On a page without the root
// element it does nothing.
import { argmax, parseModel, read } from "./lstm.js";
import { CANVAS, PEN, preprocess, stampSegment } from "./preprocess.js";

const SIDE = 28;
const GRID = { columns: 16, rows: 8 }; // 128 units shown as a 16 x 8 grid, unit k at (k % 16, k / 16)
const MAPS = [
  { key: "i", name: "input gate", symbol: "i", scale: "gate" },
  { key: "f", name: "forget gate", symbol: "f", scale: "gate" },
  { key: "g", name: "candidate", symbol: "g", scale: "signed" },
  { key: "o", name: "output gate", symbol: "o", scale: "gate" },
  { key: "c", name: "cell state", symbol: "c", scale: "cell" },
  { key: "h", name: "hidden state", symbol: "h", scale: "signed" },
];

const root = document.getElementById("lstm-demo");
if (root) start(root);

function colour(name) {
  const value = getComputedStyle(root).getPropertyValue(name).trim() || "#808080";
  const hex = value.replace("#", "");
  const full = hex.length === 3 ? [...hex].map((d) => d + d).join("") : hex;
  return [0, 2, 4].map((k) => parseInt(full.slice(k, k + 2), 16));
}

const mix = (a, b, t) => a.map((v, k) => Math.round(v + (b[k] - v) * t));
const rgb = (c) => `rgb(${c[0]},${c[1]},${c[2]})`;

function palette() {
  return {
    paper: colour("--ld-paper"), ink: colour("--ld-ink"), gate: colour("--ld-gate"),
    positive: colour("--ld-positive"), negative: colour("--ld-negative"),
    accent: colour("--ld-accent"), muted: colour("--ld-muted"), guide: colour("--ld-guide"),
  };
}

async function start(root) {
  root.setAttribute("aria-busy", "true");
  let model, manifest;
  try {
    const url = new URL(root.dataset.model, document.baseURI);
    manifest = await (await fetch(url)).json();
    const weights = await (await fetch(new URL(manifest.weights, url))).arrayBuffer();
    model = parseModel(manifest, weights);
  } catch (error) {
    root.textContent = `The network's weights could not be loaded (${error.message}).`;
    throw error;
  }
  const ui = build(root, manifest);
  const state = { strokes: [], ink: new Float64Array(CANVAS * CANVAS), image: null, result: null,
    row: SIDE, source: "none", sample: -1, colours: palette(), timing: 0, hoverUnit: -1 };

  let reads = 0;
  function compute(image) {
    const started = performance.now();
    state.image = image;
    state.result = read(model, image);
    state.timing = performance.now() - started;
    root.dataset.reads = String(++reads); // lets a test see that a new reading happened
    render();
  }

  function render() {
    drawReads(ui, state);
    drawInside(ui, state);
    drawProbabilities(ui, state);
    const final = state.result.probabilities;
    const digit = state.result.prediction;
    ui.prediction.textContent = String(digit);
    ui.confidence.textContent = `${Math.round(100 * final[digit])}% sure`;
    ui.timing.textContent = `All 28 rows took ${state.timing.toFixed(1)} ms, here in your browser.`;
    ui.rowLabel.textContent = String(state.row);
    ui.slider.setAttribute("aria-valuetext", `row ${state.row} of ${SIDE}`);
    for (const label of ui.rowNames) label.textContent = String(state.row);
  }

  // ---- input: a test digit, or a drawing ----
  function loadSample(index) {
    const sample = manifest.samples[index];
    state.strokes = [];
    state.ink.fill(0);
    state.source = "sample";
    state.sample = index;
    ui.blankNote.hidden = true;
    ui.samples.forEach((button, k) => button.setAttribute("aria-pressed", String(k === index)));
    drawPad(ui, state, sample.pixels);
    compute(Float32Array.from(sample.pixels, (p) => Math.fround(p / 255)));
  }

  function drawingChanged() {
    const { image, blank } = preprocess(state.ink);
    ui.blankNote.hidden = !blank;
    compute(Float32Array.from(image));
  }

  let pending = false;
  function scheduleUpdate() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      drawingChanged();
    });
  }

  function point(event) {
    const box = ui.pad.getBoundingClientRect();
    const x = (event.clientX - box.left) / box.width, y = (event.clientY - box.top) / box.height;
    return [x * CANVAS, y * CANVAS];
  }

  function addPoint(p) {
    const stroke = state.strokes[state.strokes.length - 1];
    const last = stroke[stroke.length - 1] || p;
    stroke.push(p);
    stampSegment(state.ink, CANVAS, last, p, PEN / 2);
  }

  let drawing = false;
  ui.pad.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    ui.pad.setPointerCapture(event.pointerId);
    if (state.source !== "drawing") {
      state.strokes = [];
      state.ink.fill(0);
      state.source = "drawing";
      ui.samples.forEach((button) => button.setAttribute("aria-pressed", "false"));
    }
    drawing = true;
    state.strokes.push([]);
    addPoint(point(event));
    drawPad(ui, state);
    scheduleUpdate();
  });
  ui.pad.addEventListener("pointermove", (event) => {
    if (!drawing) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const e of events.length ? events : [event]) addPoint(point(e));
    drawPad(ui, state);
    scheduleUpdate();
  });
  const stop = () => {
    if (!drawing) return;
    drawing = false;
    drawingChanged();
  };
  ui.pad.addEventListener("pointerup", stop);
  ui.pad.addEventListener("pointercancel", stop);

  ui.clear.addEventListener("click", () => {
    state.strokes = [];
    state.ink.fill(0);
    state.source = "drawing";
    ui.samples.forEach((button) => button.setAttribute("aria-pressed", "false"));
    drawPad(ui, state);
    drawingChanged();
  });
  ui.samples.forEach((button, k) => button.addEventListener("click", () => loadSample(k)));

  // ---- the row scrubber ----
  function setRow(row) {
    state.row = Math.min(SIDE, Math.max(1, row));
    ui.slider.value = String(state.row);
    render();
  }
  ui.slider.addEventListener("input", () => setRow(Number(ui.slider.value)));
  let timer = null;
  function stopPlaying() {
    clearInterval(timer);
    timer = null;
    ui.play.textContent = "▶ Play";
    ui.play.setAttribute("aria-pressed", "false");
  }
  ui.play.addEventListener("click", () => {
    if (timer) return stopPlaying();
    ui.play.textContent = "❚❚ Pause";
    ui.play.setAttribute("aria-pressed", "true");
    if (state.row >= SIDE) setRow(1);
    timer = setInterval(() => (state.row >= SIDE ? stopPlaying() : setRow(state.row + 1)), 160);
  });
  ui.answers.addEventListener("click", (event) => {
    const box = ui.answers.getBoundingClientRect();
    const x = (event.clientX - box.left) / box.width * ui.answers.width - 30; // past the labels
    if (x >= 0) setRow(1 + Math.floor(x / (ui.answers.width - 30) * SIDE));
  });

  // ---- one unit, followed through every map ----
  for (const map of ui.maps) {
    map.canvas.addEventListener("pointermove", (event) => {
      const box = map.canvas.getBoundingClientRect();
      const column = Math.floor((event.clientX - box.left) / box.width * GRID.columns);
      const row = Math.floor((event.clientY - box.top) / box.height * GRID.rows);
      state.hoverUnit = Math.min(GRID.rows - 1, row) * GRID.columns + Math.min(GRID.columns - 1, column);
      render();
    });
    map.canvas.addEventListener("pointerleave", () => {
      state.hoverUnit = -1;
      render();
    });
  }

  // ---- light and dark ----
  new MutationObserver(() => {
    state.colours = palette();
    drawPad(ui, state, state.source === "sample" ? manifest.samples[state.sample].pixels : null);
    drawThumbnails(ui, manifest, state.colours);
    render();
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme", "data-mode"] });

  drawThumbnails(ui, manifest, state.colours);
  const first = Float32Array.from(manifest.samples[0].pixels, (p) => p / 255);
  for (let k = 0; k < 10; k++) read(model, first); // warm up, so the time shown is a typical one
  loadSample(0);
  root.removeAttribute("aria-busy");
  root.dataset.ready = "true";
}

// ---- building the widget ----
const v = (symbol, sub = "t") => `<i>${symbol}</i><sub>${sub}</sub>`; // a vector, like c_t

function template(manifest) {
  const { dataset, test_accuracy: accuracy } = manifest.info || {};
  const about = dataset && accuracy ? `<p class="ld-note">This network was trained on ${dataset}
    and reads ${(100 * accuracy).toFixed(1)}% of its test digits right.</p>` : "";
  const samples = manifest.samples.map((sample, k) => `
    <button type="button" class="ld-sample" data-role="sample" data-index="${k}" aria-pressed="false"
        aria-label="Load test digit ${k + 1}, a ${sample.label}" title="a test digit (label ${sample.label})">
      <canvas width="${SIDE}" height="${SIDE}" aria-hidden="true"></canvas>
    </button>`).join("");
  const map = (m) => `
    <figure class="ld-figure">
      <canvas class="ld-map" data-map="${m.key}" width="${2 * 16 * 9}" height="${2 * 8 * 9}"
          role="img" aria-label="${m.name}, 128 units"></canvas>
      <figcaption><span class="ld-symbol">${v(m.symbol)}</span> ${m.name}
        <span class="ld-range"></span></figcaption>
    </figure>`;
  const [i, f, g, o, c, h] = MAPS.map(map);
  const step = (number, text) =>
    `<h3 class="ld-step"><span class="ld-number" aria-hidden="true">${number}</span><span>${text}</span></h3>`;
  return `
  <div class="ld-grid">
    <section class="ld-panel ld-input" aria-label="Input">
      ${step(1, "Draw a digit")}
      <div class="ld-pad-frame">
        <canvas data-role="draw" class="ld-pad" width="${2 * CANVAS}" height="${2 * CANVAS}" role="img"
            aria-label="Drawing pad: draw one digit with a mouse, a finger or a pen"></canvas>
      </div>
      <div class="ld-row-of-buttons">
        <button type="button" data-role="clear" class="ld-button">Clear</button>
        <span class="ld-hint">Draw large: fill the dashed box.</span>
      </div>
      <p class="ld-note ld-blank" hidden>Nothing drawn: the network reads 28 blank rows.</p>
      <p class="ld-label">… or load a test digit the network never trained on:</p>
      <div class="ld-samples" role="group" aria-label="Test digits">${samples}</div>
    </section>
    <section class="ld-panel ld-read" aria-label="What the network reads">
      ${step(2, "What the network reads")}
      <canvas data-role="image" class="ld-reads" width="560" height="560" role="img"
          aria-label="The 28 by 28 image the network reads, the current row highlighted"></canvas>
      <div class="ld-scrubber">
        <label for="lstm-demo-row">Row <output for="lstm-demo-row" class="ld-row-number">28</output>
          of ${SIDE}</label>
        <input type="range" id="lstm-demo-row" data-role="row" class="ld-slider"
            min="1" max="${SIDE}" step="1" value="${SIDE}">
        <button type="button" class="ld-button" data-role="play" aria-pressed="false">▶ Play</button>
      </div>
      <div class="ld-answer" aria-live="polite">
        <span class="ld-answer-label">After all 28 rows it reads</span>
        <span data-role="prediction" class="ld-prediction"></span>
        <span class="ld-confidence"></span>
      </div>
      <p data-role="timing" class="ld-note"></p>
      ${about}
    </section>
    <section class="ld-panel ld-inside" aria-label="Inside the LSTM">
      ${step(3, "Inside the LSTM at row <span data-row></span>")}
      <figure class="ld-figure">
        <canvas class="ld-strip" width="560" height="20" role="img"
            aria-label="The current input row, 28 pixels"></canvas>
        <figcaption><span class="ld-symbol">${v("x")}</span> the row it reads now (28 pixels)</figcaption>
      </figure>
      <p class="ld-caption">The gates i, f, o and the candidate g, each 128 units (a 16 × 8 grid, the same unit at the same place):</p>
      <div class="ld-maps">${i}${f}${g}${o}</div>
      <p class="ld-equation">${v("c")} = ${v("f")} ⊙ ${v("c", "t−1")} + ${v("i")} ⊙ ${v("g")}
        &emsp; ${v("h")} = ${v("o")} ⊙ tanh(${v("c")})</p>
      <div class="ld-maps">${c}${h}</div>
      <div class="ld-legend" aria-hidden="true">
        <span class="ld-key ld-key-gate"></span> 0 → 1 (gates) &emsp;
        <span class="ld-key ld-key-signed"></span> −1 ← 0 → +1
      </div>
      <p class="ld-note ld-unit"></p>
    </section>
    <section class="ld-panel ld-probabilities" aria-label="Probabilities">
      ${step(4, "If reading stopped at row <span data-row></span>")}
      <canvas class="ld-bars" width="600" height="260" role="img"
          aria-label="Probability of each digit if reading stopped at the current row"></canvas>
      <p class="ld-note">The dense head was trained on the last row's hidden state only: before
        row 28 it answers a question it never trained for.</p>
      <p class="ld-caption">The answer after every row (a column per row, a line per digit; click
        to jump):</p>
      <canvas class="ld-answers" width="600" height="200" role="img"
          aria-label="Probability of each digit after every row"></canvas>
    </section>
  </div>`;
}

function build(root, manifest) {
  root.innerHTML = template(manifest); // static markup: the manifest gives only numbers
  const one = (selector) => root.querySelector(selector);
  return {
    pad: one('[data-role="draw"]'), clear: one('[data-role="clear"]'), blankNote: one(".ld-blank"),
    samples: Array.from(root.querySelectorAll('[data-role="sample"]')),
    reads: one('[data-role="image"]'), slider: one('[data-role="row"]'),
    rowLabel: one(".ld-row-number"), play: one('[data-role="play"]'),
    prediction: one('[data-role="prediction"]'), confidence: one(".ld-confidence"),
    timing: one('[data-role="timing"]'), rowNames: Array.from(root.querySelectorAll("[data-row]")),
    inputRow: one(".ld-strip"), unit: one(".ld-unit"),
    maps: MAPS.map((m) => ({ ...m, canvas: one(`[data-map="${m.key}"]`),
      range: one(`[data-map="${m.key}"] + figcaption .ld-range`) })),
    bars: one(".ld-bars"), answers: one(".ld-answers"),
  };
}

// ---- drawing ----
function context(target) {
  const ctx = target.getContext("2d");
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  return ctx;
}

function drawPad(ui, state, pixels = null) {
  const ctx = context(ui.pad);
  const { paper, ink, guide } = state.colours;
  const scale = ui.pad.width / CANVAS;
  ctx.fillStyle = rgb(paper);
  ctx.fillRect(0, 0, ui.pad.width, ui.pad.height);
  if (pixels) { // a test digit: its 28 x 28 pixels, enlarged
    const cell = ui.pad.width / SIDE;
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const v = pixels[y * SIDE + x] / 255;
        if (v === 0) continue;
        ctx.fillStyle = rgb(mix(paper, ink, v));
        ctx.fillRect(x * cell, y * cell, cell + 0.5, cell + 0.5);
      }
    }
    return;
  }
  ctx.setLineDash([10, 10]);
  ctx.strokeStyle = rgb(guide);
  ctx.lineWidth = 2;
  ctx.strokeRect(40 * scale, 30 * scale, 200 * scale, 220 * scale);
  ctx.setLineDash([]);
  ctx.scale(scale, scale);
  ctx.strokeStyle = rgb(ink);
  ctx.fillStyle = rgb(ink);
  ctx.lineWidth = PEN;
  ctx.lineCap = "round";
  ctx.lineJoin = "round";
  for (const stroke of state.strokes) {
    if (stroke.length === 1) {
      ctx.beginPath();
      ctx.arc(stroke[0][0], stroke[0][1], PEN / 2, 0, 2 * Math.PI);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    stroke.forEach(([x, y], k) => (k === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.stroke();
  }
}

function drawThumbnails(ui, manifest, colours) {
  ui.samples.forEach((button, k) => {
    const target = button.querySelector("canvas");
    const ctx = context(target);
    const data = ctx.createImageData(SIDE, SIDE);
    manifest.samples[k].pixels.forEach((p, n) => {
      const c = mix(colours.paper, colours.ink, p / 255);
      data.data.set([...c, 255], 4 * n);
    });
    ctx.putImageData(data, 0, 0);
  });
}

function drawReads(ui, state) {
  const ctx = context(ui.reads);
  const { paper, ink, accent } = state.colours;
  const cell = ui.reads.width / SIDE;
  ctx.fillStyle = rgb(paper);
  ctx.fillRect(0, 0, ui.reads.width, ui.reads.height);
  for (let y = 0; y < SIDE; y++) {
    const unread = y >= state.row;
    for (let x = 0; x < SIDE; x++) {
      const v = state.image[y * SIDE + x];
      ctx.fillStyle = rgb(mix(paper, ink, unread ? 0.12 + 0.18 * v : v));
      ctx.fillRect(x * cell, y * cell, cell + 0.5, cell + 0.5);
    }
  }
  ctx.strokeStyle = "rgba(128,128,128,0.18)"; // the pixel grid
  ctx.lineWidth = 1;
  for (let k = 1; k < SIDE; k++) {
    ctx.beginPath();
    ctx.moveTo(k * cell, 0); ctx.lineTo(k * cell, ui.reads.height);
    ctx.moveTo(0, k * cell); ctx.lineTo(ui.reads.width, k * cell);
    ctx.stroke();
  }
  ctx.strokeStyle = rgb(accent);
  ctx.lineWidth = 5;
  ctx.strokeRect(2.5, (state.row - 1) * cell, ui.reads.width - 5, cell);
}

function heat(value, scale, colours, range) {
  if (scale === "gate") return mix(colours.paper, colours.gate, Math.min(1, Math.max(0, value)));
  const t = Math.max(-1, Math.min(1, value / range));
  return t >= 0 ? mix(colours.paper, colours.positive, t) : mix(colours.paper, colours.negative, -t);
}

function drawInside(ui, state) {
  const { rows } = state.result;
  const row = rows[state.row - 1];
  const colours = state.colours;
  // the input row: 28 pixels
  const strip = context(ui.inputRow);
  const cell = ui.inputRow.width / SIDE;
  for (let x = 0; x < SIDE; x++) {
    strip.fillStyle = rgb(mix(colours.paper, colours.ink, row.x[x]));
    strip.fillRect(x * cell, 0, cell + 0.5, ui.inputRow.height);
  }
  strip.strokeStyle = rgb(colours.accent);
  strip.lineWidth = 4;
  strip.strokeRect(2, 2, ui.inputRow.width - 4, ui.inputRow.height - 4);
  // c has no fixed range: one scale for the whole reading, the largest |c| of any row
  let cMax = 0;
  for (const r of rows) for (const v of r.c) cMax = Math.max(cMax, Math.abs(v));
  cMax = Math.max(cMax, 1e-6);
  for (const map of ui.maps) {
    const ctx = context(map.canvas);
    const values = row[map.key];
    const w = map.canvas.width / GRID.columns, h = map.canvas.height / GRID.rows;
    const range = map.scale === "cell" ? cMax : 1;
    ctx.fillStyle = rgb(colours.paper);
    ctx.fillRect(0, 0, map.canvas.width, map.canvas.height);
    for (let k = 0; k < values.length; k++) {
      ctx.fillStyle = rgb(heat(values[k], map.scale, colours, range));
      ctx.fillRect((k % GRID.columns) * w + 1, Math.floor(k / GRID.columns) * h + 1, w - 2, h - 2);
    }
    if (state.hoverUnit >= 0) {
      ctx.strokeStyle = rgb(colours.accent);
      ctx.lineWidth = 4;
      const k = state.hoverUnit;
      ctx.strokeRect((k % GRID.columns) * w + 1, Math.floor(k / GRID.columns) * h + 1, w - 2, h - 2);
    }
    map.range.textContent = map.scale === "gate" ? "(0 to 1)" : map.scale === "cell"
      ? `(±${cMax.toFixed(1)})` : "(−1 to 1)";
  }
  const k = state.hoverUnit;
  ui.unit.textContent = k < 0 ? "Point at a unit to follow it through every map."
    : `unit ${k}:  ` + MAPS.map((m) => `${m.symbol} ${row[m.key][k].toFixed(2)}`).join("  ·  ");
}

function drawProbabilities(ui, state) {
  const { rows } = state.result;
  const colours = state.colours;
  const probabilities = rows[state.row - 1].probabilities;
  const best = argmax(probabilities);
  // bars for the current row
  const ctx = context(ui.bars);
  const W = ui.bars.width, H = ui.bars.height;
  const font = getComputedStyle(root).fontFamily;
  ctx.fillStyle = rgb(colours.paper);
  ctx.fillRect(0, 0, W, H);
  const slot = W / 10, base = H - 36, top = 34;
  ctx.textAlign = "center";
  for (let d = 0; d < 10; d++) {
    const p = probabilities[d];
    const height = Math.max(1, p * (base - top));
    ctx.fillStyle = rgb(d === best ? colours.accent : colours.muted);
    ctx.fillRect(d * slot + slot * 0.18, base - height, slot * 0.64, height);
    ctx.fillStyle = rgb(colours.ink);
    ctx.font = `${d === best ? "bold " : ""}26px ${font}`;
    ctx.fillText(String(d), d * slot + slot / 2, H - 8);
    if (p >= 0.1) {
      ctx.font = `20px ${font}`;
      ctx.fillText(`${Math.round(100 * p)}%`, d * slot + slot / 2, base - height - 8);
    }
  }
  // all rows: 10 lines (digits) x 28 columns (rows read), digits labelled on the left
  const grid = context(ui.answers);
  const margin = 30, cw = (ui.answers.width - margin) / SIDE, ch = ui.answers.height / 10;
  grid.fillStyle = rgb(colours.paper);
  grid.fillRect(0, 0, ui.answers.width, ui.answers.height);
  grid.font = `17px ${font}`;
  grid.textAlign = "center";
  grid.textBaseline = "middle";
  for (let d = 0; d < 10; d++) {
    grid.fillStyle = rgb(colours.ink);
    grid.fillText(String(d), margin / 2, (d + 0.5) * ch);
    for (let t = 0; t < SIDE; t++) {
      grid.fillStyle = rgb(mix(colours.paper, colours.gate, rows[t].probabilities[d]));
      grid.fillRect(margin + t * cw, d * ch, cw + 0.5, ch + 0.5);
    }
  }
  grid.strokeStyle = rgb(colours.accent);
  grid.lineWidth = 4;
  grid.strokeRect(margin + (state.row - 1) * cw + 2, 2, cw - 4, ui.answers.height - 4);
}
