// Audience and send: selected customers, everyone matching a filter, or the customers of a CSV file.
import { h, clear, num } from '../dom.js';
import { api, ApiError } from '../api.js';
import { notice, runAction } from '../ui/notices.js';
import { channelLabel, statusBadge, allowedActions } from '../ui/status.js';
import { field } from '../ui/forms.js';
import { csvImportForm } from '../ui/import.js';
import { skippedPhrases } from '../ui/skipped.js';
import { customerPicker } from './audience-picker.js';

const modes = [
  { value: 'selected', label: 'Selected customers' },
  { value: 'filter', label: 'Customers matching a filter' },
  { value: 'csv', label: 'Upload a CSV' },
];

export async function render(root, { params, signal }) {
  const id = params[0];
  const campaign = await api.get(`/campaigns/${id}`, {}, { signal });
  const badge = h('span', {}, statusBadge(campaign.status));
  const head = [
    h('a', { class: 'back', href: `#/campaigns/${id}` }, '← Back to the campaign'),
    h('div', { class: 'page-head' }, h('div', { class: 'title-line' }, h('h1', {}, `Send “${campaign.name}”`), badge)),
    h('p', { class: 'muted' }, `${channelLabel(campaign.channel)} · `, h('span', { class: 'template-inline' }, campaign.base_template)),
  ];
  if (!allowedActions(campaign).send) {
    clear(root, head, notice('warning', `This campaign is ${campaign.status} and already has its audience: a campaign is sent once.`,
      ' ', h('a', { href: `#/campaigns/${id}` }, 'See its progress')));
    return;
  }

  let importedIds = null;
  const picker = customerPicker(signal, () => updateButton());
  const location = h('input', { type: 'text', name: 'location', placeholder: 'Nairobi', autocomplete: 'off' });
  const product = h('input', { type: 'text', name: 'preferred_product', placeholder: 'Running Shoes', autocomplete: 'off' });
  const importForm = csvImportForm({
    signal,
    buttonText: 'Upload and import',
    onImported: (result) => { importedIds = result.customer_ids; updateButton(); },
  });
  const panels = {
    selected: h('div', { class: 'mode-panel' }, picker.el),
    filter: h('div', { class: 'mode-panel' },
      h('p', { class: 'hint' }, 'Exact match, ignoring case. Leave both empty to send to every customer. Customers who opted out, are suppressed on the channel or reached their daily message limit are skipped.'),
      h('div', { class: 'row' },
        field('Location', location, { name: 'audience.location' }),
        field('Preferred product', product, { name: 'audience.preferred_product' }))),
    csv: h('div', { class: 'mode-panel' },
      h('p', { class: 'hint' }, 'The file’s customers are added or updated first; the campaign then goes to exactly the rows that landed.'),
      importForm),
  };
  const radios = modes.map((m, i) => h('input', { type: 'radio', name: 'mode', value: m.value, id: `mode-${m.value}`, checked: i === 0 }));
  const mode = () => radios.find((r) => r.checked).value;
  const sendButton = h('button', { type: 'button', class: 'btn btn-primary btn-large', id: 'send-button' });
  const outcome = h('div', { class: 'send-error', 'aria-live': 'polite' });

  function updateButton() {
    for (const [name, panel] of Object.entries(panels)) panel.hidden = name !== mode();
    const m = mode();
    if (m === 'selected') {
      sendButton.textContent = `Send to ${num(picker.selected.size)} selected customer${picker.selected.size === 1 ? '' : 's'}`;
      sendButton.disabled = picker.selected.size === 0;
    } else if (m === 'filter') {
      sendButton.textContent = location.value || product.value ? 'Send to every matching customer' : 'Send to every customer';
      sendButton.disabled = false;
    } else {
      sendButton.textContent = importedIds ? `Send to the ${num(importedIds.length)} imported customers` : 'Import a CSV file first';
      sendButton.disabled = !importedIds?.length;
    }
  }
  for (const radio of radios) radio.addEventListener('change', updateButton);
  location.addEventListener('input', updateButton);
  product.addEventListener('input', updateButton);

  sendButton.addEventListener('click', () => runAction(sendButton, async () => {
    const m = mode();
    const body = m === 'selected' ? { customer_ids: [...picker.selected] }
      : m === 'csv' ? { customer_ids: importedIds }
        : { audience: { ...(location.value && { location: location.value }), ...(product.value && { preferred_product: product.value }) } };
    try {
      const result = await api.post(`/campaigns/${id}/send`, body, { signal, headers: { 'Idempotency-Key': randomKey() } });
      showSent(result);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      clear(outcome, notice('error', error.message));
    }
  }));

  function showSent(result) {
    clear(badge, statusBadge(result.status));
    clear(outcome);
    form.replaceWith(h('section', { class: 'card sent-panel send-outcome', role: 'status' },
      h('p', { class: 'big', id: 'messages-queued' }, `${num(result.messages_queued)} message${result.messages_queued === 1 ? '' : 's'} queued`),
      h('p', { class: 'muted', id: 'send-skipped' }, [...skippedPhrases(result, { always: true }), `the campaign is ${result.status}.`].join(' · ')),
      h('div', { class: 'actions' }, h('a', { class: 'btn btn-primary', href: `#/campaigns/${id}` }, 'Watch the progress →'))));
  }

  const form = h('section', { class: 'card audience' },
    h('fieldset', { class: 'segmented modes' }, h('legend', { class: 'visually-hidden' }, 'Audience'),
      radios.map((radio, i) => [radio, h('label', { for: radio.id }, modes[i].label)])),
    Object.values(panels),
    h('div', { class: 'actions send-bar' }, sendButton));
  clear(root, head, form, outcome);
  updateButton();
  await picker.load();
}

function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
