// Starts the console: the router, the key button, and a banner for anything that goes wrong.
import { startRouter } from './router.js';
import { askForKey, forgetKey } from './auth.js';
import { showError, hideBanner } from './ui/notices.js';

document.getElementById('change-key').addEventListener('click', async () => {
  forgetKey();
  await askForKey();
  window.dispatchEvent(new HashChangeEvent('hashchange'));
});
document.querySelector('#banner .banner-close').addEventListener('click', hideBanner);

window.addEventListener('unhandledrejection', (event) => {
  if (event.reason?.name === 'AbortError') return;
  showError(event.reason);
});
window.addEventListener('error', (event) => showError(event.error ?? event.message));

startRouter();
