// A drawing becomes an MNIST digit, as MNIST made its digits: crop to the ink, shrink into a
// 20 x 20 box keeping the aspect ratio (grey levels by area averaging), darkest pixel to 1, then
// place it in a 28 x 28 field with its centre of mass at the centre. No DOM: strokes are lists
// of [x, y] points on a CANVAS x CANVAS drawing area. rnnlib/demo.py is the Python twin of this
// file, and the tests hold the two to the same output.

export const CANVAS = 280; // the drawing canvas, in its own pixels
export const PEN = 26;     // the pen's diameter: drawn digits then carry as much ink as MNIST's
export const BOX = 20;
export const FIELD = 28;
export const CENTRE = 14;  // where MNIST's centres of mass sit (pixel-index coordinates)

// Ink one segment from a to b into `ink` (size x size, values in [0, 1]), in place: a round pen
// of the given radius whose edge fades from 1 to 0 over one pixel. Keeps the darker of old and new.
export function stampSegment(ink, size, a, b, radius) {
  const [ax, ay] = a, [bx, by] = b;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius - 1));
  const x1 = Math.min(size - 1, Math.ceil(Math.max(ax, bx) + radius + 1));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius - 1));
  const y1 = Math.min(size - 1, Math.ceil(Math.max(ay, by) + radius + 1));
  const dx = bx - ax, dy = by - ay;
  const length2 = dx * dx + dy * dy;
  for (let py = y0; py <= y1; py++) {
    const cy = py + 0.5;
    for (let px = x0; px <= x1; px++) {
      const cx = px + 0.5;
      const t = length2 === 0 ? 0
        : Math.min(Math.max(((cx - ax) * dx + (cy - ay) * dy) / length2, 0), 1);
      const ex = cx - (ax + t * dx), ey = cy - (ay + t * dy);
      const coverage = Math.min(Math.max(radius + 0.5 - Math.sqrt(ex * ex + ey * ey), 0), 1);
      const at = py * size + px;
      if (coverage > ink[at]) ink[at] = coverage;
    }
  }
}

// All strokes on a blank canvas: a Float64Array of size * size ink values.
export function rasterize(strokes, size = CANVAS, width = PEN) {
  const ink = new Float64Array(size * size);
  for (const stroke of strokes) {
    if (stroke.length === 0) continue;
    if (stroke.length === 1) stampSegment(ink, size, stroke[0], stroke[0], width / 2);
    for (let k = 1; k < stroke.length; k++) stampSegment(ink, size, stroke[k - 1], stroke[k], width / 2);
  }
  return ink;
}

// Shrink n pixels to m by averaging: for each new pixel, the old pixels it covers and their
// weights (a partly covered pixel counts in proportion).
function areaWeights(n, m) {
  const scale = n / m;
  const weights = [];
  for (let j = 0; j < m; j++) {
    const low = j * scale, high = (j + 1) * scale, terms = [];
    for (let s = Math.floor(low); s < Math.min(n, Math.ceil(high)); s++) {
      const overlap = Math.min(high, s + 1) - Math.max(low, s);
      if (overlap > 0) terms.push([s, overlap / scale]);
    }
    weights.push(terms);
  }
  return weights;
}

const roundHalfUp = (x) => Math.floor(x + 0.5);

// The ink (size x size, row after row) as the 28 x 28 image the network reads, plus where the
// ink was found (`crop`, canvas pixels) and where it went (`placed`, field pixels). Blank ink
// gives a blank image and `blank: true`.
export function preprocess(ink, size = CANVAS) {
  let top = size, bottom = -1, left = size, right = -1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (ink[y * size + x] > 0) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  const image = new Float64Array(FIELD * FIELD);
  if (bottom < 0) return { image, blank: true };
  const height = bottom - top + 1, width = right - left + 1;
  const scale = BOX / Math.max(height, width);
  const newHeight = Math.max(1, roundHalfUp(height * scale));
  const newWidth = Math.max(1, roundHalfUp(width * scale));
  // Columns first, then rows: small = Wrows . crop . Wcolumns^T
  const byColumn = areaWeights(width, newWidth), byRow = areaWeights(height, newHeight);
  const narrow = new Float64Array(height * newWidth);
  for (let y = 0; y < height; y++) {
    for (let j = 0; j < newWidth; j++) {
      let sum = 0;
      for (const [s, w] of byColumn[j]) sum += ink[(top + y) * size + left + s] * w;
      narrow[y * newWidth + j] = sum;
    }
  }
  const small = new Float64Array(newHeight * newWidth);
  let peak = 0;
  for (let i = 0; i < newHeight; i++) {
    for (let j = 0; j < newWidth; j++) {
      let sum = 0;
      for (const [s, w] of byRow[i]) sum += narrow[s * newWidth + j] * w;
      small[i * newWidth + j] = sum;
      if (sum > peak) peak = sum;
    }
  }
  let total = 0, sumY = 0, sumX = 0;
  for (let i = 0; i < newHeight; i++) {
    for (let j = 0; j < newWidth; j++) {
      const v = small[i * newWidth + j] / peak;
      small[i * newWidth + j] = v;
      total += v;
      sumY += v * i;
      sumX += v * j;
    }
  }
  const placedTop = Math.min(Math.max(roundHalfUp(CENTRE - sumY / total), 0), FIELD - newHeight);
  const placedLeft = Math.min(Math.max(roundHalfUp(CENTRE - sumX / total), 0), FIELD - newWidth);
  for (let i = 0; i < newHeight; i++) {
    for (let j = 0; j < newWidth; j++) {
      image[(placedTop + i) * FIELD + placedLeft + j] = small[i * newWidth + j];
    }
  }
  return {
    image, blank: false,
    crop: { top, left, height, width },
    placed: { top: placedTop, left: placedLeft, height: newHeight, width: newWidth },
  };
}

// Strokes in, the 28 x 28 image the network reads out.
export function readDrawing(strokes) {
  return preprocess(rasterize(strokes)).image;
}
