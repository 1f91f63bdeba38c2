// uPlot charts (docs/CONSOLE.md#charts). uPlot is embedded into edgehubd from
// node_modules at build time; a build without it shows the numbers only.

export function chartsAvailable() {
  return typeof window.uPlot === 'function';
}

function themeColor(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function axes() {
  const stroke = themeColor('--fg', '#222');
  const grid = {stroke: themeColor('--grid', '#8884'), width: 1};
  return [{stroke, grid, ticks: grid}, {stroke, grid, ticks: grid, size: 60}];
}

function width(container) {
  return Math.max(240, Math.min((container.clientWidth || 600) - 16, 900));
}

// Follows the container's width (a page shown, a phone turned).
function fit(chart, container) {
  const observer = new ResizeObserver(() => {
    if (container.clientWidth) chart.setSize({width: width(container), height: chart.height});
  });
  observer.observe(container);
  const destroy = chart.destroy.bind(chart);
  chart.destroy = () => {
    observer.disconnect();
    destroy();
  };
  return chart;
}

// Bars of a histogram: bins [{lo, hi, count}] drawn at their centres.
export function histogramChart(container, bins) {
  if (!chartsAvailable()) return null;
  const xs = bins.map((b) => (b.lo + b.hi) / 2);
  const ys = bins.map((b) => b.count);
  const opts = {
    width: width(container), height: 260,
    scales: {x: {time: false}},
    axes: axes(),
    legend: {show: true},
    series: [
      {label: 'value'},
      {label: 'count', stroke: themeColor('--accent', '#1565c0'), fill: themeColor('--accent-fill', '#1565c055'),
        paths: window.uPlot.paths.bars({size: [0.9, Infinity]}), points: {show: false}},
    ],
  };
  return fit(new window.uPlot(opts, [xs, ys], container), container);
}

// A line chart over time (seconds since the epoch) with one or more series.
export function timeChart(container, labels, colors) {
  if (!chartsAvailable()) return null;
  const opts = {
    width: width(container), height: 200,
    axes: axes(),
    scales: {y: {range: (u, min, max) => [0, Math.max(1, max * 1.1)]}},
    series: [{}, ...labels.map((label, i) => ({label, stroke: colors[i], width: 2, points: {show: false}}))],
  };
  return fit(new window.uPlot(opts, [[], ...labels.map(() => [])], container), container);
}
