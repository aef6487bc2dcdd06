// Compose: name, channel, template with placeholder buttons, optional schedule, send window and validity,
// variants and an A/B test, translations, AI personalization, and a live preview.
// The preview needs a campaign, so the first preview saves the form as a draft; later ones preview
// the text being typed against it (override_template) and Save writes every field.
import { h, clear, codePoints, debounce, num } from '../dom.js';
import { api, ApiError } from '../api.js';
import { navigate } from '../router.js';
import { notice, runAction, showError } from '../ui/notices.js';
import { clearFieldErrors, field, showFieldErrors } from '../ui/forms.js';
import { previewPanel } from './compose-preview.js';
import { timingAliases, timingFields } from './compose-timing.js';
import { variantsFields } from './compose-variants.js';
import { translationsFields } from './compose-translations.js';
import { personalizationFields } from './compose-personalization.js';
import { flash } from '../ui/flash.js';

const placeholders = ['first_name', 'last_name', 'location', 'preferred_product', 'phone', 'recommended_product'];
const limits = { sms: 1600, whatsapp: 4096 };

export async function render(root, { params, signal }) {
  let draft = params[0] ? await api.get(`/campaigns/${params[0]}`, {}, { signal }) : null;
  if (draft && !(['draft', 'scheduled'].includes(draft.status) && draft.stats.total === 0)) {
    clear(root, h('a', { class: 'back', href: `#/campaigns/${draft.id}` }, '← Back to the campaign'),
      notice('warning', `“${draft.name}” is ${draft.status} and has been sent: it can no longer be changed.`));
    return;
  }
  const customers = await api.get('/customers', { page_size: 100 }, { signal });

  const nameInput = h('input', { name: 'name', type: 'text', required: true, maxlength: 200, value: draft?.name ?? '', placeholder: 'Weekend sale', autocomplete: 'off' });
  const channelRadios = ['sms', 'whatsapp'].map((value) => h('input', {
    type: 'radio', name: 'channel', value, id: `channel-${value}`, checked: (draft?.channel ?? 'sms') === value,
  }));
  const channel = () => channelRadios.find((r) => r.checked).value;
  const textarea = h('textarea', { name: 'base_template', rows: 6, required: true, spellcheck: 'true', placeholder: 'Hi {first_name}! …' });
  textarea.value = draft?.base_template ?? '';
  const counter = h('span', { class: 'counter', 'aria-live': 'off' });
  const scheduleToggle = h('input', { type: 'checkbox', id: 'schedule-toggle', checked: Boolean(draft?.scheduled_at) });
  const scheduleInput = h('input', { type: 'datetime-local', name: 'scheduled_at', value: toLocalInput(draft?.scheduled_at), hidden: !draft?.scheduled_at });
  const timing = timingFields(draft);
  const variants = variantsFields(draft);
  const languages = translationsFields(draft);
  const personalization = personalizationFields(draft);
  // Every http(s) URL of each message becomes a short link of its own, so clicks can be counted.
  const trackLinks = h('input', { type: 'checkbox', id: 'track-links', name: 'track_links', checked: Boolean(draft?.track_links) });
  const draftNote = h('p', { class: 'hint', 'aria-live': 'polite' });
  const saveButton = h('button', { type: 'submit', class: 'btn', value: 'save' }, 'Save draft');
  const nextButton = h('button', { type: 'submit', class: 'btn btn-primary', value: 'audience' }, 'Save and choose audience →');
  const discardButton = h('button', { type: 'button', class: 'btn btn-danger-quiet', hidden: true }, 'Discard draft');

  const insertButtons = placeholders.map((name) => h('button', {
    type: 'button', class: 'chip', 'aria-label': `Insert {${name}}`,
    onclick: () => insertAtCursor(textarea, `{${name}}`),
  }, `{${name}}`));

  const form = h('form', { class: 'card compose-form', novalidate: true, 'aria-label': 'Campaign' },
    field('Name', nameInput, { name: 'name' }),
    h('fieldset', { class: 'field', dataset: { field: 'channel' } },
      h('legend', {}, 'Channel'),
      h('div', { class: 'segmented' }, channelRadios.map((radio) => [radio, h('label', { for: radio.id }, radio.value === 'sms' ? 'SMS' : 'WhatsApp')])),
      h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'field', dataset: { field: 'base_template' } },
      h('label', { for: 'template-input' }, 'Message'),
      h('div', { class: 'chips', role: 'group', 'aria-label': 'Insert a placeholder' }, h('span', { class: 'hint' }, 'Insert:'), insertButtons),
      Object.assign(textarea, { id: 'template-input' }),
      h('div', { class: 'field-foot' }, h('span', { class: 'hint' }, 'Write {{ or }} for a literal brace.'), counter),
      h('p', { class: 'field-error', hidden: true, id: 'template-input-error' })),
    h('div', { class: 'field', dataset: { field: 'scheduled_at' } },
      h('div', { class: 'check' }, scheduleToggle, h('label', { for: 'schedule-toggle' }, 'Schedule for later')),
      h('label', { for: 'schedule-input', class: 'visually-hidden' }, 'Send at'),
      Object.assign(scheduleInput, { id: 'schedule-input' }),
      h('p', { class: 'field-error', hidden: true })),
    timing.el,
    h('div', { class: 'field', dataset: { field: 'track_links' } },
      h('div', { class: 'check' }, trackLinks, h('label', { for: 'track-links' }, 'Track links (shorten each URL and count clicks)')),
      h('p', { class: 'field-error', hidden: true })),
    section('Variants', variants.el),
    section('Translations', languages.el),
    section('Personalization', personalization.el),
    draftNote,
    h('div', { class: 'actions' }, discardButton, saveButton, nextButton));
  textarea.setAttribute('aria-describedby', 'template-input-error');

  const preview = previewPanel(customers.data);

  clear(root,
    h('a', { class: 'back', href: draft ? `#/campaigns/${draft.id}` : '#/campaigns' }, draft ? '← Back to the campaign' : '← All campaigns'),
    h('div', { class: 'page-head' }, h('h1', {}, draft ? 'Edit campaign' : 'New campaign')),
    h('div', { class: 'compose' }, form, preview.el));

  const updateCounter = () => {
    counter.textContent = `${num(codePoints(textarea.value))} / ${num(limits[channel()])}`;
    counter.classList.toggle('over', codePoints(textarea.value) > limits[channel()]);
  };
  const showDraft = () => {
    draftNote.textContent = draft ? `Saved as draft #${draft.id} for the preview; Save keeps your latest changes.` : '';
    discardButton.hidden = !draft || Boolean(params[0]);
  };

  // ---- live preview ------------------------------------------------------------------------
  let creating = null;
  // From Save's click until it fails: the campaign and the address are Save's; the preview creates nothing meanwhile.
  let saving = false;
  async function ensureDraft() {
    if (draft) {
      if (draft.channel !== channel()) {
        draft = await api.patch(`/campaigns/${draft.id}`, { channel: channel(), base_template: textarea.value }, { signal });
      }
      return draft;
    }
    creating ??= api.post('/campaigns', {
      name: nameInput.value.trim() ? nameInput.value : 'Untitled campaign', channel: channel(), base_template: textarea.value,
    }, { signal }).finally(() => { creating = null; });
    draft = await creating;
    if (saving) return draft;
    // The address now names the draft, so a reload keeps the work.
    history.replaceState(null, '', `#/campaigns/${draft.id}/edit`);
    showDraft();
    return draft;
  }

  let latest = 0;
  async function updatePreview() {
    const seq = ++latest;
    if (saving) return;
    const text = textarea.value;
    const customerId = preview.customerId();
    if (!text.trim()) return preview.idle('Start typing the message to see it as a customer will.');
    if (!customerId) return preview.idle('Add or import a customer to see a personalized preview.');
    preview.busy();
    try {
      const campaign = await ensureDraft();
      // A variant is previewed as stored: the draft takes the form's variants first.
      const variant = preview.variant();
      if (variant) await syncVariants(campaign);
      const result = await api.post(`/campaigns/${draft.id}/personalized-preview`,
        variant ? { customer_id: customerId, variant } : { customer_id: customerId, override_template: text }, { signal });
      if (seq !== latest) return;
      clearFieldErrors(form, ['base_template', 'channel']);
      preview.show(result, channel());
    } catch (error) {
      if (seq !== latest || error.name === 'AbortError') return;
      if (error instanceof ApiError && error.status === 400) {
        clearFieldErrors(form, ['base_template', 'variants']);
        const rest = showFieldErrors(form, error.fields, { override_template: 'base_template' });
        preview.idle(rest.length ? rest.join(' ') : 'Fix the message to see the preview.');
      } else {
        preview.idle('The preview is not available right now.');
        showError(error);
      }
    }
  }
  const schedulePreview = debounce(updatePreview, 300);

  async function syncVariants(campaign) {
    const wanted = variants.values().variants;
    const plain = (list) => JSON.stringify(list?.map(({ key, template, weight }) => [key, template, weight]) ?? null);
    if (plain(campaign.variants) === plain(wanted)) return;
    draft = await api.patch(`/campaigns/${campaign.id}`, { variants: wanted }, { signal });
  }

  textarea.addEventListener('input', () => { updateCounter(); schedulePreview(); });
  for (const radio of channelRadios) radio.addEventListener('change', () => { updateCounter(); schedulePreview(); });
  preview.onCustomerChange(schedulePreview);
  preview.onVariantChange(schedulePreview);
  variants.onChange(() => {
    preview.setVariants(variants.keys());
    if (preview.variant()) schedulePreview();
  });
  preview.setVariants(variants.keys());
  scheduleToggle.addEventListener('change', () => {
    scheduleInput.hidden = !scheduleToggle.checked;
    if (scheduleToggle.checked) scheduleInput.focus();
  });

  // ---- save ----------------------------------------------------------------------------------
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const then = event.submitter?.value ?? 'save';
    clearFieldErrors(form);
    let scheduledAt = null;
    if (scheduleToggle.checked) {
      const at = new Date(scheduleInput.value);
      if (Number.isNaN(at.getTime())) {
        showFieldErrors(form, { scheduled_at: ['Pick the date and time to send at.'] });
        return;
      }
      scheduledAt = at.toISOString();
    }
    const timingErrors = timing.check();
    if (timingErrors) {
      showFieldErrors(form, timingErrors);
      form.querySelector('[aria-invalid]')?.focus();
      return;
    }
    const body = { name: nameInput.value, channel: channel(), base_template: textarea.value, track_links: trackLinks.checked };
    // An update sends every optional field, null removing it; a create only those given.
    const optional = { scheduled_at: scheduledAt, ...timing.values(), ...variants.values(), ...languages.values(), ...personalization.values() };
    const given = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null));
    saving = true;
    const saved = await runAction(event.submitter ?? saveButton, async () => {
      // The preview may be creating the draft right now: wait for it and save into that draft, not a second campaign.
      if (creating) await creating.catch(() => undefined);
      try {
        if (draft) return await api.patch(`/campaigns/${draft.id}`, { ...body, ...optional }, { signal });
        return await api.post('/campaigns', { ...body, ...given }, { signal });
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 400) throw error;
        // Without a language model the API refuses personalization: its message goes beside that field.
        const fields = error.code === 'AI_NOT_CONFIGURED' ? { personalization: [error.message] } : error.fields;
        if (!Object.keys(fields).length) throw error;
        const rest = showFieldErrors(form, fields, timingAliases);
        form.querySelector('[aria-invalid]')?.focus();
        if (rest.length) throw new Error(rest.join(' '));
        return undefined;
      }
    });
    if (!saved) {
      saving = false;
      return;
    }
    draft = saved;
    if (saved.warnings?.length) flash('warning', 'Saved, with warnings:', saved.warnings);
    navigate(then === 'audience' ? `#/campaigns/${saved.id}/send` : `#/campaigns/${saved.id}`);
  });

  discardButton.addEventListener('click', () => runAction(discardButton, async () => {
    if (!draft || !confirm('Discard this draft?')) return;
    await api.delete(`/campaigns/${draft.id}`, { signal });
    navigate('#/campaigns');
  }));

  updateCounter();
  showDraft();
  if (textarea.value) updatePreview();
  else preview.idle('Start typing the message to see it as a customer will.');
  (draft ? textarea : nameInput).focus();
}

/** A titled group of the form's optional parts. */
function section(title, ...children) {
  return h('fieldset', { class: 'compose-section' }, h('legend', {}, title), ...children);
}

function insertAtCursor(textarea, text) {
  textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end');
  textarea.focus();
  textarea.dispatchEvent(new Event('input', { bubbles: true }));
}

/** An RFC 3339 time as the value of a datetime-local input, in the browser's time zone. */
function toLocalInput(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}
