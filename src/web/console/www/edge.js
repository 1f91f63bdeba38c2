// Edge data (docs/CONSOLE.md#edge-data): the user's uploaded data files with
// their statistics, every SCS operation, a histogram binned on the server,
// upload of a local file with progress, delete.
import {api, enc, uploadFile} from './api.js';
import {histogramChart} from './charts.js';
import {clear, formatBytes, formatNumber, formatTime, h, say, sayBusy, section} from './ui.js';

const OPS = ['SUM', 'AVERAGE', 'MIN', 'MAX', 'COUNT', 'STDDEV', 'MEDIAN'];
let ui = null;
let chart = null;

function statCell(stats, key) {
  return h('td', {}, stats ? formatNumber(stats[key]) : '—');
}

function fileRow(f) {
  const op = h('select', {'aria-label': `Operation on file ${f.id}`}, OPS.map((o) => h('option', {value: o}, o)));
  const result = h('output', {'data-scs': f.id});
  return h('tr', {'data-edge': f.id},
    h('td', {}, f.id), h('td', {}, f.name), h('td', {}, formatNumber(f.values)), h('td', {}, formatBytes(f.bytes)),
    statCell(f.stats, 'sum'), statCell(f.stats, 'average'), statCell(f.stats, 'min'), statCell(f.stats, 'max'),
    h('td', {}, formatTime(f.uploaded)),
    h('td', {class: 'actions'},
      op, h('button', {type: 'button', onclick: () => scs(f.id, op.value, result)}, 'Compute'), ' ', result, ' ',
      h('button', {type: 'button', onclick: () => histogram(f.id)}, 'Histogram'), ' ',
      h('button', {type: 'button', class: 'danger', onclick: () => remove(f.id)}, 'Delete')));
}

async function load() {
  try {
    const answer = await api('GET', '/api/v1/edge-data');
    clear(ui.rows);
    for (const f of answer.files || []) ui.rows.append(fileRow(f));
    if (!(answer.files || []).length) ui.rows.append(h('tr', {}, h('td', {colspan: 10}, 'No edge data uploaded yet.')));
  } catch (e) {
    say(ui.note, e.message);
  }
}

async function scs(id, op, output) {
  output.textContent = '…';
  try {
    const answer = await api('POST', `/api/v1/edge-data/${id}/scs`, {op});
    output.textContent = `${answer.op} = ${formatNumber(answer.result)}`;
  } catch (e) {
    output.textContent = e.message;
  }
}

async function histogram(id) {
  const bins = Number(ui.bins.value) || 20;
  ui.histTitle.textContent = `Histogram of file ${id}`;
  clear(ui.chart);
  chart?.destroy();
  chart = null;
  try {
    const answer = await api('GET', `/api/v1/edge-data/${id}/histogram?bins=${bins}`);
    ui.chart.dataset.file = id;
    chart = histogramChart(ui.chart, answer.bins || []);
    const total = (answer.bins || []).reduce((n, b) => n + b.count, 0);
    say(ui.histNote, `${answer.bins.length} bins from ${formatNumber(answer.min)} to ${formatNumber(answer.max)}, ` +
      `${formatNumber(total)} values${chart ? '' : ' (charts unavailable: edgehubd was built without uPlot)'}`, false);
    ui.chart.dataset.ready = 'true';
  } catch (e) {
    say(ui.histNote, e.message);
  }
}

async function remove(id) {
  if (!window.confirm(`Delete edge data file ${id}?`)) return;
  try {
    await api('DELETE', `/api/v1/edge-data/${id}`);
    say(ui.note, `File ${id} deleted.`, false);
  } catch (e) {
    say(ui.note, e.message);
  }
  load();
}

async function upload(e) {
  e.preventDefault();
  const file = ui.file.files[0];
  const id = ui.id.value.trim();
  if (!file || !id) return;
  ui.progress.value = 0;
  ui.progress.hidden = false;
  sayBusy(ui.uploadNote, `Uploading ${file.name}…`);
  try {
    const answer = await uploadFile(`/api/v1/edge-data/${enc(id)}`, file, (sent, total) => {
      ui.progress.max = total || 1;
      ui.progress.value = sent;
    });
    say(ui.uploadNote, `Uploaded file ${answer.id}: ${formatNumber(answer.values)} values.`, false);
  } catch (err) {
    say(ui.uploadNote, err.message);
  }
  load();
}

export function mount(container) {
  const root = section('edge', 'Edge data');
  ui = {root, rows: h('tbody', {id: 'edge-rows'}), note: h('p', {role: 'status'}),
    id: h('input', {id: 'edge-id', type: 'number', min: 0, required: true, inputmode: 'numeric'}),
    file: h('input', {id: 'edge-file', type: 'file', required: true}),
    progress: h('progress', {id: 'edge-progress', value: 0, max: 1, hidden: true, 'aria-label': 'Upload progress'}),
    uploadNote: h('p', {id: 'edge-upload-note', role: 'status'}),
    bins: h('input', {id: 'edge-bins', type: 'number', min: 1, max: 200, value: 20}),
    histTitle: h('h2', {}, 'Histogram'), chart: h('div', {id: 'edge-histogram', class: 'chart'}),
    histNote: h('p', {id: 'edge-histogram-note', role: 'status'})};
  root.append(
    h('div', {class: 'scroll'}, h('table', {}, h('thead', {}, h('tr', {}, ['File', 'Name', 'Values', 'Size', 'Sum',
      'Average', 'Min', 'Max', 'Uploaded', 'Operations'].map((c) => h('th', {scope: 'col'}, c)))), ui.rows)),
    ui.note,
    h('h2', {}, 'Upload a data file'),
    h('form', {class: 'stack', onsubmit: upload},
      h('label', {for: 'edge-id'}, 'File id'), ui.id,
      h('label', {for: 'edge-file'}, 'Data file (one integer per line, as EDG writes)'), ui.file,
      h('button', {type: 'submit'}, 'Upload'), ui.progress, ui.uploadNote),
    ui.histTitle,
    h('p', {}, h('label', {for: 'edge-bins'}, 'Bins (1–200) '), ui.bins),
    ui.chart, ui.histNote);
  container.append(root);
}

export function unmount() {
  chart?.destroy();
  chart = null;
  ui = null;
}

export const shown = load;
