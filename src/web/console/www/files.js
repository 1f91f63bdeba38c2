// Files (docs/CONSOLE.md#files): the repository listing with sizes, download
// links (the server answers Range, so browsers resume), upload with a
// progress bar; the server's error messages are shown as they are.
import {api, enc, uploadFile} from './api.js';
import {clear, formatBytes, formatTime, h, say, sayBusy, section} from './ui.js';

let ui = null;

async function load() {
  try {
    const answer = await api('GET', '/api/v1/files');
    clear(ui.rows);
    for (const f of answer.files || []) {
      ui.rows.append(h('tr', {'data-file': f.name},
        h('td', {}, h('a', {href: `/api/v1/files/${enc(f.name)}`, download: f.name}, f.name)),
        h('td', {title: `${f.size} bytes`}, formatBytes(f.size)),
        h('td', {}, formatTime(f.modified))));
    }
    if (!(answer.files || []).length) ui.rows.append(h('tr', {}, h('td', {colspan: 3}, 'The repository is empty.')));
    say(ui.note, '', false);
  } catch (e) {
    say(ui.note, e.message);
  }
}

async function upload(e) {
  e.preventDefault();
  const file = ui.file.files[0];
  if (!file) return;
  const name = ui.name.value.trim() || file.name;
  ui.progress.value = 0;
  ui.progress.hidden = false;
  ui.percent.textContent = '0%';
  sayBusy(ui.uploadNote, `Uploading ${name}…`);
  try {
    const answer = await uploadFile(`/api/v1/files/${enc(name)}`, file, (sent, total) => {
      ui.progress.max = total || 1;
      ui.progress.value = sent;
      ui.percent.textContent = `${Math.floor((100 * sent) / (total || 1))}%`;
    });
    say(ui.uploadNote, `Uploaded ${answer.name} (${formatBytes(answer.size)}, SHA-256 ${answer.sha256}).`, false);
    ui.name.value = '';
  } catch (err) {
    say(ui.uploadNote, err.message);
  }
  load();
}

export function mount(container) {
  const root = section('files', 'Files');
  ui = {root, rows: h('tbody', {id: 'file-rows'}), note: h('p', {role: 'status'}),
    file: h('input', {id: 'file-input', type: 'file', required: true}),
    name: h('input', {id: 'file-name', autocomplete: 'off', placeholder: 'the local file name'}),
    progress: h('progress', {id: 'file-progress', value: 0, max: 1, hidden: true, 'aria-label': 'Upload progress'}),
    percent: h('span', {id: 'file-percent'}),
    uploadNote: h('p', {id: 'file-upload-note', role: 'status'})};
  root.append(
    h('div', {class: 'scroll'}, h('table', {}, h('thead', {}, h('tr', {},
      ['Name', 'Size', 'Modified'].map((c) => h('th', {scope: 'col'}, c)))), ui.rows)),
    ui.note,
    h('p', {}, h('button', {type: 'button', onclick: load}, 'Refresh')),
    h('h2', {}, 'Upload a file'),
    h('form', {class: 'stack', onsubmit: upload},
      h('label', {for: 'file-input'}, 'File'), ui.file,
      h('label', {for: 'file-name'}, 'Name in the repository (optional)'), ui.name,
      h('button', {type: 'submit'}, 'Upload'), h('div', {class: 'progress'}, ui.progress, ' ', ui.percent),
      ui.uploadNote));
  container.append(root);
}

export function unmount() {
  ui = null;
}

export const shown = load;
