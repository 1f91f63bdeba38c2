// The live side: one WebSocket to /api/v1/events per login (docs/HTTP_API.md),
// its events handed to every page that listens. No polling: presence and
// messages arrive here. A lost connection is retried while the session lives.

const listeners = new Set();
let socket = null;
let wanted = false;
let retryMs = 500;
let statusNode = null;

export function onEvent(f) {
  listeners.add(f);
}

function setStatus(text) {
  if (statusNode) {
    statusNode.textContent = text;
    statusNode.dataset.state = text;
  }
}

function dispatch(event) {
  for (const f of listeners) {
    try {
      f(event);
    } catch (e) {
      console.error('event handler failed', e);
    }
  }
}

function open() {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${location.host}/api/v1/events`);
  socket = ws;
  setStatus('connecting');
  ws.addEventListener('message', (m) => {
    let event;
    try {
      event = JSON.parse(m.data);
    } catch {
      return;  // the server sends only JSON; ignore anything else
    }
    if (event.type === 'hello') {
      retryMs = 500;
      setStatus('live');
    }
    dispatch(event);
  });
  ws.addEventListener('close', () => {
    if (socket !== ws) return;
    socket = null;
    setStatus('offline');
    dispatch({type: 'closed'});
    if (wanted) {
      setTimeout(() => wanted && !socket && open(), retryMs);
      retryMs = Math.min(retryMs * 2, 10000);
    }
  });
}

export function connect(node) {
  statusNode = node;
  wanted = true;
  if (!socket) open();
}

export function disconnect() {
  wanted = false;
  if (socket) {
    const ws = socket;
    socket = null;
    ws.close();
  }
  setStatus('offline');
}
