// The languages part of the compose form: the language the message is written in, and translations of it
// (a language code and its message), each recipient getting the one of their language.
import { h, clear } from '../dom.js';

const maxTranslations = 20;

/** The fields, filled from `campaign` (a draft being edited) when given. */
export function translationsFields(campaign) {
  const defaultInput = h('input', { type: 'text', id: 'default-language', maxlength: 3, value: campaign?.default_language ?? 'en', autocomplete: 'off', class: 'short' });
  const list = h('div', { class: 'translation-list', id: 'translation-list' });
  const addButton = h('button', { type: 'button', class: 'btn btn-small' }, 'Add translation');
  let rows = [];

  function render() {
    rows.forEach((row, i) => row.number(i));
    clear(list, rows.map((row) => row.el));
    addButton.disabled = rows.length >= maxTranslations;
  }
  function add(language, template) {
    const row = translationRow(language, template, () => {
      rows = rows.filter((r) => r !== row);
      render();
    });
    rows.push(row);
    render();
    return row;
  }
  for (const [language, template] of Object.entries(campaign?.translations ?? {})) add(language, template);
  addButton.addEventListener('click', () => add('', '').focus());

  return {
    el: h('div', { class: 'field timing' },
      h('div', { class: 'field', dataset: { field: 'default_language' } },
        h('label', { for: defaultInput.id }, 'Written in (language code)'), defaultInput,
        h('p', { class: 'hint' }, 'A code such as en, sw or fr. Each recipient gets the translation of their language, else the message as written.'),
        h('p', { class: 'field-error', hidden: true })),
      // The list's own error comes first: a field's error slot is the first inside it.
      h('div', { class: 'field', dataset: { field: 'translations' } }, h('p', { class: 'field-error', hidden: true }), list),
      addButton),
    /** { default_language, translations } as the API takes them; translations null for none. */
    values() {
      const translations = Object.fromEntries(rows.map((row) => row.value()));
      return { default_language: defaultInput.value.trim(), translations: rows.length ? translations : null };
    },
  };
}

/** One translation: its language code and message, its errors under `translations.<code>`. */
function translationRow(language, template, onRemove) {
  const code = h('input', { type: 'text', maxlength: 3, value: language, autocomplete: 'off', class: 'short' });
  const text = h('textarea', { rows: 2 });
  text.value = template;
  const codeLabel = h('label');
  const textLabel = h('label');
  const remove = h('button', { type: 'button', class: 'btn btn-small btn-ghost' }, 'Remove');
  remove.addEventListener('click', onRemove);
  const error = h('p', { class: 'field-error', hidden: true });
  const el = h('div', { class: 'field translation' }, codeLabel, code, textLabel, text, remove, error);
  // The API names a translation's errors by its language, stored lowercase.
  const track = () => { el.dataset.field = `translations.${code.value.trim().toLowerCase()}`; };
  code.addEventListener('input', track);
  track();
  return {
    el,
    number(i) {
      code.id = `translation-${i}-language`;
      text.id = `translation-${i}-template`;
      codeLabel.htmlFor = code.id;
      textLabel.htmlFor = text.id;
      codeLabel.textContent = `Translation ${i + 1} language`;
      textLabel.textContent = `Translation ${i + 1} message`;
      remove.setAttribute('aria-label', `Remove translation ${i + 1}`);
    },
    focus: () => code.focus(),
    value: () => [code.value.trim(), text.value],
  };
}
