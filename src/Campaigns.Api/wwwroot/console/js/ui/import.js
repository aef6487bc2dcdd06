// A CSV import: the file picker, the call, and its outcome with every rejected row.
import { h, num } from '../dom.js';
import { api } from '../api.js';
import { notice, runAction } from './notices.js';
import { field } from './forms.js';

export const csvHint = 'A header row naming the columns: phone (required), first_name, last_name, location, preferred_product, opted_out, timezone (an IANA name such as Africa/Nairobi; empty: the phone\'s).';

/**
 * A small form: pick a .csv file, import it; `onImported(result)` gets the API's answer
 * ({ received, created, updated, rejected, customer_ids }).
 */
export function csvImportForm({ onImported, buttonText = 'Import customers', signal }) {
  const input = h('input', { type: 'file', accept: '.csv,text/csv', name: 'csv' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true }, buttonText);
  const outcome = h('div', { class: 'import-outcome', 'aria-live': 'polite' });
  input.addEventListener('change', () => {
    button.disabled = !input.files?.length;
    outcome.replaceChildren();
  });
  const form = h('form', { class: 'import-form' },
    h('div', { class: 'row' }, field('CSV file', input, { name: 'csv', hint: csvHint }), h('div', { class: 'actions' }, button)),
    outcome);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    if (!file) return;
    const result = await runAction(button, () => api.importCsv(file, { signal }));
    if (!result) return;
    outcome.replaceChildren(importResult(result));
    onImported?.(result);
  });
  return form;
}

export function importResult(result) {
  const landed = result.created + result.updated;
  const summary = `${num(result.received)} rows read: ${num(result.created)} created, ${num(result.updated)} updated, ${num(result.rejected.length)} rejected.`;
  const kind = result.rejected.length ? (landed ? 'warning' : 'error') : 'success';
  return h('div', { class: 'import-result' },
    notice(kind, summary),
    result.rejected.length
      ? h('div', { class: 'table-wrap' },
        h('table', { class: 'table compact' },
          h('caption', {}, 'Rejected rows'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Row'), h('th', { scope: 'col' }, 'Phone'), h('th', { scope: 'col' }, 'Why'))),
          h('tbody', {}, result.rejected.map((r) =>
            h('tr', {}, h('td', { 'data-label': 'Row' }, r.row), h('td', { 'data-label': 'Phone' }, r.phone || '(none)'), h('td', { 'data-label': 'Why' }, r.error))))))
      : null);
}
