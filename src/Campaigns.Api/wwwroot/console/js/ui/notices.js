// The banner at the top for errors of any action, and inline notices inside a page.
import { h } from '../dom.js';

/** Shows an error's message (for the API, the envelope's error.message) in the banner. */
export function showError(error) {
  if (error?.name === 'AbortError') return;
  const banner = document.getElementById('banner');
  document.getElementById('banner-text').textContent =
    typeof error === 'string' ? error : error?.message || 'Something went wrong.';
  banner.dataset.kind = 'error';
  banner.hidden = false;
}

export function hideBanner() {
  document.getElementById('banner').hidden = true;
}

/** An inline message: kind is 'info', 'success', 'warning' or 'error'. */
export function notice(kind, ...children) {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

/** Runs an action from a button: disabled while it runs, errors to the banner. Returns the result or undefined. */
export async function runAction(button, action) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  hideBanner();
  try {
    return await action();
  } catch (error) {
    showError(error);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
