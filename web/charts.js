// Line charts over steps (uPlot, vendored from node_modules). A chart rebuilds itself when its set of series
// changes (a metric that appears later) and otherwise only swaps its data, so it can follow a run cheaply.
// Drag to zoom, double-click to zoom out; the legend reads the values under the cursor.
import uPlot from '../vendor/uPlot.esm.js';
import { columns } from './metrics.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

export class LineChart {
  /** `keysOf(rows)`: the series to draw. The element's data-points attribute holds the number of points. */
  constructor(parent, title, keysOf) {
    this.el = parent.appendChild(document.createElement('div'));
    this.el.className = 'chart';
    this.title = title;
    this.keysOf = keysOf;
    this.plot = null;
    this.keys = [];
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(this.el);
  }

  size() {
    return { width: Math.max(200, this.el.clientWidth), height: 180 };
  }

  update(rows) {
    const keys = this.keysOf(rows);
    const data = columns(rows, keys);
    if (keys.join() !== this.keys.join() || !this.plot) {
      this.plot?.destroy();
      this.keys = keys;
      const series = [{ label: 'step' }, ...keys.map((k, i) => ({ label: k, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true }))];
      this.plot = new uPlot({ title: this.title, ...this.size(), series, scales: { x: { time: false } } }, data, this.el);
    } else {
      this.plot.setData(data);
    }
    this.el.dataset.points = String(rows.length);
  }
}
