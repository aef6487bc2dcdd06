// The personalization part of the compose form: each message rewritten by the language model, following
// instructions, within an optional length.
import { h } from '../dom.js';

/** The fields, filled from `campaign` (a draft being edited) when given. */
export function personalizationFields(campaign) {
  const given = campaign?.personalization ?? null;
  const toggle = h('input', { type: 'checkbox', id: 'ai-toggle', checked: Boolean(given) });
  const instructions = h('textarea', { id: 'ai-instructions', rows: 2, maxlength: 1000, placeholder: 'Warm and short; mention their town.' });
  instructions.value = given?.instructions ?? '';
  const maxLength = h('input', { type: 'number', id: 'ai-max-length', min: 1, step: 1, value: given?.max_length ?? '', class: 'short' });
  const panel = h('div', { class: 'timing-panel', id: 'ai-panel', hidden: !given },
    h('div', { class: 'field', dataset: { field: 'personalization.instructions' } },
      h('label', { for: instructions.id }, 'Instructions'), instructions, h('p', { class: 'field-error', hidden: true })),
    h('div', { class: 'field', dataset: { field: 'personalization.max_length' } },
      h('label', { for: maxLength.id }, 'Max length (optional)'), maxLength,
      h('p', { class: 'hint' }, 'Empty: one SMS segment, or 1,000 characters on WhatsApp.'),
      h('p', { class: 'field-error', hidden: true })));
  toggle.addEventListener('change', () => {
    panel.hidden = !toggle.checked;
    if (toggle.checked) instructions.focus();
  });

  return {
    el: h('div', { class: 'field timing', dataset: { field: 'personalization' } },
      h('div', { class: 'check' }, toggle, h('label', { for: toggle.id }, 'AI-written: the language model rewrites each message')),
      h('p', { class: 'hint' }, 'It keeps the opt-out sentence; when it cannot, the message goes as written.'),
      h('p', { class: 'field-error', hidden: true }),
      panel),
    /** { personalization } as the API takes it; null for none. */
    values() {
      if (!toggle.checked) return { personalization: null };
      const length = maxLength.value.trim();
      return { personalization: { mode: 'ai', instructions: instructions.value, ...(length ? { max_length: Number(length) } : {}) } };
    },
  };
}
