// The timing part of the compose form: an optional send window (hours and days, in each recipient's local
// time) and an optional validity (a number and a unit, sent as an ISO 8601 duration).
import { h } from '../dom.js';
import { toAmount, toDuration, validityUnits, weekdays } from '../ui/timing.js';

/** The API's names for the window's parts, each shown on the field that holds it. */
export const timingAliases = { 'send_window.start': 'send_window', 'send_window.end': 'send_window' };

const channelDefaults = { sms: null, whatsapp: 'P1D' };

/** The fields, filled from `campaign` (a draft being edited) when given. */
export function timingFields(campaign) {
  const window = campaign?.send_window ?? null;
  // The API answers the validity in effect: the channel's default reads as no validity of the campaign's own.
  const ownValidity = campaign && campaign.validity !== channelDefaults[campaign.channel] ? toAmount(campaign.validity) : null;

  const windowToggle = h('input', { type: 'checkbox', id: 'window-toggle', checked: Boolean(window) });
  const startInput = h('input', { type: 'time', id: 'window-start', name: 'send_window_start', value: window?.start ?? '08:00', required: true });
  const endInput = h('input', { type: 'time', id: 'window-end', name: 'send_window_end', value: window?.end ?? '20:00', required: true });
  const dayBoxes = weekdays.map(([day]) => h('input', {
    type: 'checkbox', id: `window-day-${day}`, name: 'send_window_days', value: day, checked: !window?.days || window.days.includes(day),
  }));
  const windowPanel = h('div', { class: 'timing-panel', id: 'window-panel', hidden: !window },
    h('div', { class: 'field', dataset: { field: 'send_window' } },
      h('div', { class: 'time-range' },
        h('label', { for: startInput.id }, 'From'), startInput,
        h('label', { for: endInput.id }, 'Until'), endInput),
      h('p', { class: 'field-error', id: 'window-error', hidden: true })),
    h('fieldset', { class: 'field', dataset: { field: 'send_window.days' } },
      h('legend', {}, 'On'),
      h('div', { class: 'days' }, dayBoxes.map((box, i) => h('span', { class: 'check' }, box, h('label', { for: box.id }, weekdays[i][1])))),
      h('p', { class: 'field-error', id: 'window-days-error', hidden: true })),
    h('p', { class: 'hint' }, 'Outside the window a message waits for its next opening.'));
  startInput.setAttribute('aria-describedby', 'window-error');
  endInput.setAttribute('aria-describedby', 'window-error');

  const validityToggle = h('input', { type: 'checkbox', id: 'validity-toggle', checked: Boolean(ownValidity) });
  const amountInput = h('input', { type: 'number', id: 'validity-amount', name: 'validity_amount', min: 1, step: 1, value: ownValidity?.amount ?? 6, required: true });
  const unitSelect = h('select', { id: 'validity-unit', name: 'validity_unit' },
    // A validity in seconds comes only from the API: the select offers it only then.
    ownValidity?.unit === 'seconds' ? h('option', { value: 'seconds', selected: true }, 'seconds') : null,
    validityUnits.map(({ unit }) => h('option', { value: unit, selected: unit === (ownValidity?.unit ?? 'hours') }, unit)));
  const validityPanel = h('div', { class: 'timing-panel', id: 'validity-panel', hidden: !ownValidity },
    h('div', { class: 'field', dataset: { field: 'validity' } },
      h('div', { class: 'time-range' },
        h('label', { for: amountInput.id }, 'After'), amountInput,
        h('label', { for: unitSelect.id, class: 'visually-hidden' }, 'Unit'), unitSelect),
      h('p', { class: 'field-error', id: 'validity-error', hidden: true })),
    h('p', { class: 'hint' }, 'Counted from the send; a message not sent by then expires.'));
  amountInput.setAttribute('aria-describedby', 'validity-error');

  const toggle = (box, panel, focus) => box.addEventListener('change', () => {
    panel.hidden = !box.checked;
    if (box.checked) focus.focus();
  });
  toggle(windowToggle, windowPanel, startInput);
  toggle(validityToggle, validityPanel, amountInput);

  const el = [
    h('div', { class: 'field timing' },
      h('div', { class: 'check' }, windowToggle, h('label', { for: windowToggle.id }, 'Send only within a window (each recipient’s local time)')),
      windowPanel),
    h('div', { class: 'field timing' },
      h('div', { class: 'check' }, validityToggle, h('label', { for: validityToggle.id }, 'Expire unsent messages')),
      h('p', { class: 'hint' }, 'Without it, SMS messages never expire and WhatsApp messages expire after a day.'),
      validityPanel),
  ];

  return {
    el,
    /** Problems the form can tell before the API: `errors` for showFieldErrors, or null. */
    check() {
      const errors = {};
      if (windowToggle.checked && (!startInput.value || !endInput.value)) {
        errors.send_window = ['Pick the hours the window opens and closes.'];
      }
      if (validityToggle.checked && !/^[1-9]\d*$/.test(amountInput.value)) {
        errors.validity = [`Enter a whole number of ${unitSelect.value}, 1 or more.`];
      }
      return Object.keys(errors).length ? errors : null;
    },
    /** { send_window, validity } as the API takes them; null for none (on update: remove it, back to the default). */
    values() {
      const days = dayBoxes.filter((box) => box.checked).map((box) => box.value);
      return {
        send_window: windowToggle.checked
          // Every day is the API's default: no `days` then. None checked is sent for the API to refuse.
          ? { start: startInput.value, end: endInput.value, ...(days.length === weekdays.length ? {} : { days }) }
          : null,
        validity: validityToggle.checked ? toDuration(Number(amountInput.value), unitSelect.value) : null,
      };
    },
  };
}
