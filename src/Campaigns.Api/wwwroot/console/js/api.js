// Every call to the Campaigns API: the key in X-Api-Key, JSON in and out, errors as ApiError.
import { askForKey, forgetKey, getKey } from './auth.js';

/** An error answer of the API: `message` is the envelope's error.message, `fields` its validation errors. */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    super(body?.error?.message ?? body?.detail ?? fallback ?? `The API answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error?.code ?? null;
    this.fields = body?.errors ?? {};
    this.body = body;
  }
}

function withQuery(path, query) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(name, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * request('POST', '/campaigns', { body }) → parsed JSON (null for 204).
 * `raw` sends a Blob or string as is with `contentType`; `signal` aborts when the page is left;
 * `withStatus` answers { status, data } for a call whose success codes differ in meaning (201 or 200).
 */
export async function request(method, path, { query, body, raw, contentType, headers, signal, withStatus } = {}) {
  const url = withQuery(path, query);
  let unauthorized = false;
  for (;;) {
    const key = getKey() ?? (await askForKey(unauthorized ? 'That key was not accepted. Check it and try again.' : undefined));
    const init = { method, signal, headers: { Accept: 'application/json', 'X-Api-Key': key, ...headers } };
    if (raw !== undefined) {
      init.body = raw;
      init.headers['Content-Type'] = contentType;
    } else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers['Content-Type'] = 'application/json';
    }

    let response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      if (error.name === 'AbortError') throw error;
      throw new ApiError(0, null, 'The API could not be reached. Check that it is running, then try again.');
    }
    if (response.status === 401) {
      forgetKey();
      unauthorized = true;
      continue;
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return withStatus ? { status: response.status, data } : data;
  }
}

export const api = {
  get: (path, query, options) => request('GET', path, { ...options, query }),
  post: (path, body, options) => request('POST', path, { ...options, body }),
  patch: (path, body, options) => request('PATCH', path, { ...options, body }),
  delete: (path, options) => request('DELETE', path, options),
  importCsv: (file, options) => request('POST', '/customers/import', { ...options, raw: file, contentType: 'text/csv' }),
};
