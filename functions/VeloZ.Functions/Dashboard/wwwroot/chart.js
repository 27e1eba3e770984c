// A small line chart on a canvas: the latest prices of one symbol against time. No library: the page must work
// offline and under a self-only Content-Security-Policy, and a line of prices needs nothing more.

const MAX_POINTS = 600;

export class PriceChart {
  constructor(canvas) {
    this.canvas = canvas;
    this.points = [];
    this.frame = 0;
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  clear() {
    this.points = [];
    this.scheduleDraw();
  }

  /** Adds a price at a time (ms since the epoch); out-of-order points (a replay after a reconnect) are skipped. */
  add(timeMs, price) {
    const last = this.points[this.points.length - 1];
    if (last && timeMs < last.t) return;
    if (last && timeMs === last.t) { last.p = price; } else { this.points.push({ t: timeMs, p: price }); }
    if (this.points.length > MAX_POINTS) this.points.splice(0, this.points.length - MAX_POINTS);
    this.scheduleDraw();
  }

  scheduleDraw() {
    this.canvas.dataset.points = String(this.points.length);
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(canvas.clientWidth, 100);
    const height = Math.max(canvas.clientHeight, 100);
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const style = getComputedStyle(canvas);
    const ink = style.getPropertyValue('--chart-ink').trim() || '#555';
    const line = style.getPropertyValue('--chart-line').trim() || '#0f4c81';
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = ink;
    if (this.points.length === 0) {
      g.fillText('Waiting for prices…', 12, height / 2);
      return;
    }
    const left = 8, right = 80, top = 10, bottom = 22;
    let min = Infinity, max = -Infinity;
    for (const { p } of this.points) { if (p < min) min = p; if (p > max) max = p; }
    if (min === max) { min -= Math.abs(min) * 0.0005 || 1; max += Math.abs(max) * 0.0005 || 1; }
    const t0 = this.points[0].t, t1 = this.points[this.points.length - 1].t;
    const span = Math.max(t1 - t0, 1);
    const x = t => left + (width - left - right) * (this.points.length === 1 ? 1 : (t - t0) / span);
    const y = p => top + (height - top - bottom) * (1 - (p - min) / (max - min));

    g.strokeStyle = ink;
    g.globalAlpha = 0.2;
    g.beginPath();
    for (const v of [min, (min + max) / 2, max]) { g.moveTo(left, y(v)); g.lineTo(width - right, y(v)); }
    g.stroke();
    g.globalAlpha = 1;
    g.textBaseline = 'middle';
    for (const v of [min, (min + max) / 2, max]) g.fillText(formatAxis(v), width - right + 6, y(v));
    g.textBaseline = 'alphabetic';
    g.fillText(new Date(t0).toLocaleTimeString(), left, height - 6);
    const end = new Date(t1).toLocaleTimeString();
    g.fillText(end, width - right - g.measureText(end).width, height - 6);

    g.strokeStyle = line;
    g.lineWidth = 2;
    g.beginPath();
    this.points.forEach((pt, i) => (i === 0 ? g.moveTo(x(pt.t), y(pt.p)) : g.lineTo(x(pt.t), y(pt.p))));
    g.stroke();
    const lastPoint = this.points[this.points.length - 1];
    g.fillStyle = line;
    g.beginPath();
    g.arc(x(lastPoint.t), y(lastPoint.p), 3, 0, Math.PI * 2);
    g.fill();
  }
}

function formatAxis(value) {
  const digits = Math.abs(value) >= 1000 ? 2 : Math.abs(value) >= 1 ? 4 : 8;
  return value.toLocaleString(undefined, { maximumFractionDigits: digits });
}
