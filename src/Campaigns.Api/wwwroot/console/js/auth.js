// The API key: asked once in a dialog, kept in sessionStorage for this tab, asked again after a 401.

const storageKey = 'campaigns.apiKey';
let pending = null;

export const getKey = () => sessionStorage.getItem(storageKey);

export function forgetKey() {
  sessionStorage.removeItem(storageKey);
}

/** Shows the key dialog (once, however many callers wait) and resolves with the key entered. */
export function askForKey(message) {
  if (pending) return pending;
  const dialog = document.getElementById('key-dialog');
  const form = document.getElementById('key-form');
  const input = document.getElementById('key-input');
  const note = document.getElementById('key-dialog-message');
  note.hidden = !message;
  note.textContent = message ?? '';
  input.value = '';
  pending = new Promise((resolve) => {
    const onSubmit = (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!key) return;
      sessionStorage.setItem(storageKey, key);
      form.removeEventListener('submit', onSubmit);
      dialog.close();
      pending = null;
      resolve(key);
    };
    form.addEventListener('submit', onSubmit);
  });
  // The console cannot work without a key: Escape does not close the dialog.
  dialog.addEventListener('cancel', (event) => event.preventDefault(), { once: true });
  if (!dialog.open) dialog.showModal();
  input.focus();
  return pending;
}
