// Small DOM helpers shared by the pages (docs/CONSOLE.md).

// h('button', {type: 'button', onclick: f}, 'text', child...)
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
  return node;
}

export function formatBytes(n) {
  if (n === null || n === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(n)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatNumber(x) {
  if (x === null || x === undefined) return '';
  return typeof x === 'number' ? x.toLocaleString(undefined, {maximumFractionDigits: 6}) : String(x);
}

// A table inside a scrolling wrapper (phones), header from `columns`.
export function table(caption, columns, rows, attrs = {}) {
  return h('div', {class: 'scroll'},
    h('table', attrs,
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', {scope: 'col'}, c)))),
      h('tbody', {}, rows)));
}

// Shows an API error (or success) under a form, as the server wrote it.
export function say(node, text, isError = true) {
  node.textContent = text;
  node.className = isError ? 'error' : 'ok';
}

// Work under way (an upload): neither a success nor an error yet, so
// whoever waits for the outcome (a person, a test's `.ok`) is not misled.
export function sayBusy(node, text) {
  node.textContent = text;
  node.className = 'busy';
}

export function section(id, title) {
  return h('section', {id: `page-${id}`, class: 'page', hidden: true, 'aria-labelledby': `title-${id}`},
    h('h1', {id: `title-${id}`}, title));
}
