// Suppressing a phone by hand: phone, channel (or every channel) and a reason; 201 added, 200 already there.
import { h, clear, when } from '../dom.js';
import { api, ApiError } from '../api.js';
import { field, clearFieldErrors, showFieldErrors } from '../ui/forms.js';
import { notice, runAction } from '../ui/notices.js';
import { suppressionChannel } from '../ui/consent.js';

/** The add form; `onSaved(suppression)` runs after the API answered 201 or 200. */
export function suppressionForm({ signal, onSaved }) {
  const phone = h('input', { type: 'text', name: 'phone', placeholder: '+254712345678 or 0712345678', autocomplete: 'off', spellcheck: 'false' });
  const channel = h('select', { name: 'channel' },
    h('option', { value: '' }, 'Every channel'),
    h('option', { value: 'sms' }, 'SMS'),
    h('option', { value: 'whatsapp' }, 'WhatsApp'));
  const reason = h('input', { type: 'text', name: 'reason', placeholder: 'Asked by phone', autocomplete: 'off' });
  const button = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Suppress');
  const outcome = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'suppress-form', id: 'suppress-form', 'aria-label': 'Suppress a phone', novalidate: true },
    h('div', { class: 'row' },
      field('Phone', phone, { name: 'phone' }),
      field('Channel', channel, { name: 'channel' }),
      field('Reason (optional)', reason, { name: 'reason' }),
      h('div', { class: 'actions' }, button)),
    outcome);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    clear(outcome);
    const body = {
      phone: phone.value.trim(),
      ...(channel.value && { channel: channel.value }),
      ...(reason.value.trim() && { reason: reason.value.trim() }),
    };
    const answer = await runAction(button, async () => {
      try {
        return await api.post('/suppressions', body, { signal, withStatus: true });
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 400) throw error;
        const rest = showFieldErrors(form, error.fields);
        form.querySelector('[aria-invalid]')?.focus();
        if (rest.length || !Object.keys(error.fields).length) throw rest.length ? new Error(rest.join(' ')) : error;
        return undefined;
      }
    });
    if (!answer) return;
    const s = answer.data;
    const where = s.channel ? `on ${suppressionChannel(s.channel)}` : 'on every channel';
    clear(outcome, answer.status === 201
      ? notice('success', `Suppressed: ${s.phone} ${where}.`)
      : notice('info', `Already suppressed: ${s.phone} ${where} since ${when(s.created_at)} (source: ${s.source}). Nothing changed.`));
    phone.value = '';
    reason.value = '';
    onSaved?.(s);
  });
  return form;
}
