// The console's side of the HTTP API (docs/HTTP_API.md): JSON calls with the
// session's CSRF token on every state-changing request, uploads with progress.

let csrfToken = '';
let onUnauthorized = () => {};

export function setCsrf(token) {
  csrfToken = token || '';
}

// Called when the server says the session is gone (expired, logged out).
export function setUnauthorizedHandler(f) {
  onUnauthorized = f;
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function errorFrom(status, statusText, text) {
  try {
    const body = JSON.parse(text);
    if (body && body.message) return new ApiError(status, body.code || 'error', body.message);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(status, 'http_error', `${status} ${statusText || 'error'}`);
}

export async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  const text = await response.text();
  if (!response.ok) {
    const error = errorFrom(response.status, response.statusText, text);
    if (response.status === 401 && path !== '/api/v1/login') onUnauthorized(error);
    throw error;
  }
  if (!text) return {};
  return JSON.parse(text);
}

// PUT of a local file as the raw body, streamed by the browser;
// onProgress(sentBytes, totalBytes) from XMLHttpRequest's upload events.
export function uploadFile(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', path);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size, file.size);
        resolve(xhr.responseText ? JSON.parse(xhr.responseText) : {});
      } else {
        const error = errorFrom(xhr.status, xhr.statusText, xhr.responseText);
        if (xhr.status === 401) onUnauthorized(error);
        reject(error);
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'the connection to edgehubd failed')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'upload cancelled')));
    xhr.send(file);
  });
}

export const enc = encodeURIComponent;
