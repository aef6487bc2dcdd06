// The variants part of the compose form: 2–5 variants (key, message, weight), each recipient getting one in
// proportion to the weights, and an optional A/B test (a sample, a metric, and when to pick the winner).
import { h, clear } from '../dom.js';
import { toAmount, toDuration } from '../ui/timing.js';

const minVariants = 2;
const maxVariants = 5;
const decideUnits = ['minutes', 'hours'];

/** The fields, filled from `campaign` (a draft being edited) when given. */
export function variantsFields(campaign) {
  const toggle = h('input', { type: 'checkbox', id: 'variants-toggle', checked: Boolean(campaign?.variants) });
  const list = h('div', { class: 'variant-list', id: 'variant-list' });
  const addButton = h('button', { type: 'button', class: 'btn btn-small' }, 'Add variant');
  const changed = [];
  let rows = [];

  const ab = campaign?.ab_test ?? null;
  const decide = toAmount(ab?.decide_after) ?? { amount: 2, unit: 'hours' };
  const abToggle = h('input', { type: 'checkbox', id: 'ab-toggle', checked: Boolean(ab) });
  const sampleInput = h('input', { type: 'number', id: 'ab-sample', min: 1, max: 50, step: 1, value: ab?.sample_percent ?? 10 });
  const metricSelect = h('select', { id: 'ab-metric' },
    [['clicked', 'Clicks'], ['delivered', 'Deliveries']].map(([value, label]) => h('option', { value, selected: value === (ab?.metric ?? 'clicked') }, label)));
  const decideInput = h('input', { type: 'number', id: 'ab-decide', min: 1, step: 1, value: decide.amount });
  const decideUnit = h('select', { id: 'ab-decide-unit' },
    (decideUnits.includes(decide.unit) ? decideUnits : [decide.unit, ...decideUnits]).map((unit) => h('option', { value: unit, selected: unit === decide.unit }, unit)));
  const abPanel = h('div', { class: 'timing-panel', id: 'ab-panel', hidden: !ab },
    slot('ab_test.sample_percent', h('label', { for: sampleInput.id }, 'Sample (% of the audience)'), sampleInput),
    slot('ab_test.metric', h('label', { for: metricSelect.id }, 'Winner by'), metricSelect),
    slot('ab_test.decide_after', h('div', { class: 'time-range' },
      h('label', { for: decideInput.id }, 'Decide after'), decideInput,
      h('label', { for: decideUnit.id, class: 'visually-hidden' }, 'Decide after unit'), decideUnit)),
    h('p', { class: 'hint' }, 'The sample gets the variants; the rest waits and gets the winner.'));

  const panel = h('div', { class: 'timing-panel', id: 'variants-panel', hidden: !campaign?.variants },
    // The list's own error comes first: a field's error slot is the first inside it.
    h('div', { class: 'field', dataset: { field: 'variants' } }, h('p', { class: 'field-error', hidden: true }), list),
    addButton,
    h('div', { class: 'field', dataset: { field: 'ab_test' } },
      h('div', { class: 'check' }, abToggle, h('label', { for: abToggle.id }, 'A/B test: send a sample first, then the winner')),
      h('p', { class: 'field-error', hidden: true }),
      abPanel));

  const notify = () => changed.forEach((fn) => fn());
  function render() {
    rows.forEach((row, i) => row.number(i));
    clear(list, rows.map((row) => row.el));
    addButton.disabled = rows.length >= maxVariants;
    rows.forEach((row) => { row.remove.disabled = rows.length <= minVariants; });
  }
  function add(variant) {
    const row = variantRow(variant, () => {
      rows = rows.filter((r) => r !== row);
      render();
      notify();
    }, notify);
    rows.push(row);
    render();
    return row;
  }
  for (const v of campaign?.variants ?? []) add(v);

  toggle.addEventListener('change', () => {
    panel.hidden = !toggle.checked;
    while (toggle.checked && rows.length < minVariants) add({ key: String.fromCharCode(97 + rows.length), template: '', weight: 1 });
    if (toggle.checked) rows[0].focus();
    notify();
  });
  addButton.addEventListener('click', () => {
    add({ key: String.fromCharCode(97 + rows.length), template: '', weight: 1 }).focus();
    notify();
  });
  abToggle.addEventListener('change', () => {
    abPanel.hidden = !abToggle.checked;
    if (abToggle.checked) sampleInput.focus();
  });

  return {
    el: h('div', { class: 'field timing' },
      h('div', { class: 'check' }, toggle, h('label', { for: toggle.id }, 'Variants: write 2 to 5 versions of the message')),
      h('p', { class: 'hint' }, 'Each recipient gets one, in proportion to the weights.'),
      panel),
    /** { variants, ab_test } as the API takes them; null for none. */
    values() {
      if (!toggle.checked) return { variants: null, ab_test: null };
      const variants = rows.map((row) => row.value());
      const ab_test = abToggle.checked
        ? { sample_percent: Number(sampleInput.value), metric: metricSelect.value, decide_after: toDuration(Number(decideInput.value), decideUnit.value) }
        : null;
      return { variants, ab_test };
    },
    /** The keys of the variants being written, for the preview's picker. */
    keys: () => (toggle.checked ? rows.map((row) => row.value().key).filter(Boolean) : []),
    onChange: (fn) => changed.push(fn),
  };
}

/** One variant's key, message and weight, its errors under `variants[i].…`. */
function variantRow(variant, onRemove, onChange) {
  const key = h('input', { type: 'text', maxlength: 20, value: variant.key, autocomplete: 'off' });
  const template = h('textarea', { rows: 2 });
  template.value = variant.template;
  const weight = h('input', { type: 'number', min: 1, max: 1000, step: 1, value: variant.weight });
  const remove = h('button', { type: 'button', class: 'btn btn-small btn-ghost' }, 'Remove');
  remove.addEventListener('click', onRemove);
  for (const control of [key, template, weight]) control.addEventListener('input', onChange);
  const parts = [['key', key], ['template', template], ['weight', weight]].map(([name, control]) =>
    ({ name, label: h('label'), slot: h('div', { class: 'field' }, control, h('p', { class: 'field-error', hidden: true })), control }));
  const el = h('fieldset', { class: 'variant' }, h('legend'), parts.map((p) => [p.label, p.slot]), remove);
  return {
    el,
    remove,
    number(i) {
      el.querySelector('legend').textContent = `Variant ${i + 1}`;
      for (const p of parts) {
        p.control.id = `variant-${i}-${p.name}`;
        p.label.htmlFor = p.control.id;
        p.label.textContent = `Variant ${i + 1} ${p.name === 'template' ? 'message' : p.name}`;
        p.slot.dataset.field = `variants[${i}].${p.name}`;
      }
      remove.setAttribute('aria-label', `Remove variant ${i + 1}`);
    },
    focus: () => key.focus(),
    value: () => ({ key: key.value.trim(), template: template.value, weight: Number(weight.value),
      ...(variant.translations && Object.keys(variant.translations).length ? { translations: variant.translations } : {}) }),
  };
}

function slot(name, ...children) {
  return h('div', { class: 'field', dataset: { field: name } }, ...children, h('p', { class: 'field-error', hidden: true }));
}
