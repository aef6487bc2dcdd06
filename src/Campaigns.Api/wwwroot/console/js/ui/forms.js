// Labelled fields with a slot for the API's validation message, and filling those slots from `errors`.
import { h } from '../dom.js';

let nextId = 0;

/** A label, the control, an optional hint and an error slot; `name` is the API field the errors name. */
export function field(label, control, { name, hint, className } = {}) {
  control.id ||= `field-${++nextId}`;
  const errorId = `${control.id}-error`;
  const hintId = hint ? `${control.id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  return h('div', { class: `field ${className ?? ''}`, dataset: { field: name ?? '' } },
    h('label', { for: control.id }, label),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }));
}

/** Clears the messages of the named fields, or of every field. */
export function clearFieldErrors(form, names) {
  for (const target of form.querySelectorAll('[data-field]')) {
    if (!target.dataset.field || (names && !names.includes(target.dataset.field))) continue;
    const slot = target.querySelector('.field-error');
    if (slot) {
      slot.hidden = true;
      slot.textContent = '';
    }
    target.querySelector('[aria-invalid]')?.removeAttribute('aria-invalid');
  }
}

/**
 * Puts each message of the problem's `errors` next to its field. `aliases` maps an API name to a field
 * (override_template → base_template); the messages of names that share a field are shown together.
 * Returns the messages that have no field on the form.
 */
export function showFieldErrors(form, fields, aliases = {}) {
  const unplaced = [];
  const placed = new Map();
  for (const [name, messages] of Object.entries(fields ?? {})) {
    const target = form.querySelector(`[data-field="${CSS.escape(aliases[name] ?? name)}"]`);
    if (!target?.querySelector('.field-error')) {
      unplaced.push(...messages);
      continue;
    }
    placed.set(target, [...(placed.get(target) ?? []), ...messages]);
  }
  for (const [target, messages] of placed) {
    const slot = target.querySelector('.field-error');
    slot.textContent = messages.join(' ');
    slot.hidden = false;
    target.querySelector('input, textarea, select')?.setAttribute('aria-invalid', 'true');
  }
  return unplaced;
}
