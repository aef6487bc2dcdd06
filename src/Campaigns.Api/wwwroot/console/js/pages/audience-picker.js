// Choosing customers one by one: a paged list with checkboxes and a phone search; the choice survives paging.
import { h, clear } from '../dom.js';
import { api, ApiError } from '../api.js';
import { pagePager } from '../ui/pager.js';
import { field, clearFieldErrors, showFieldErrors } from '../ui/forms.js';

export function customerPicker(signal, onChange) {
  const selected = new Set();
  let page = 1;
  const phone = h('input', { type: 'search', name: 'phone', placeholder: '+254712345678', autocomplete: 'off' });
  const body = h('tbody');
  const footer = h('div');
  const allOnPage = h('input', { type: 'checkbox', 'aria-label': 'Select every customer on this page' });
  const search = h('form', { class: 'toolbar', role: 'search' }, field('Phone', phone, { name: 'phone' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, 'Search')));
  const el = h('div', {}, search,
    h('div', { class: 'table-wrap' }, h('table', { class: 'table compact', id: 'picker-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'check-col' }, allOnPage),
        ['Phone', 'Name', 'Location', 'Preferred product', 'Opted out'].map((t) => h('th', { scope: 'col' }, t)))),
      body)),
    footer);

  search.addEventListener('submit', (event) => {
    event.preventDefault();
    page = 1;
    load();
  });
  allOnPage.addEventListener('change', () => {
    for (const box of body.querySelectorAll('input[type=checkbox]:not(:disabled)')) {
      box.checked = allOnPage.checked;
      toggle(Number(box.value), box.checked);
    }
  });

  function toggle(id, on) {
    if (on) selected.add(id);
    else selected.delete(id);
    onChange();
  }

  async function load() {
    clearFieldErrors(search);
    let result;
    try {
      result = await api.get('/customers', { phone: phone.value.trim(), page, page_size: 10 }, { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        showFieldErrors(search, error.fields);
        return;
      }
      throw error;
    }
    allOnPage.checked = false;
    clear(body, result.data.length ? result.data.map((c) => {
      const box = h('input', { type: 'checkbox', value: c.id, checked: selected.has(c.id), disabled: c.opted_out,
        'aria-label': `Select ${c.phone}`, onchange: (e) => toggle(c.id, e.target.checked) });
      return h('tr', {},
        h('td', { class: 'check-col' }, box),
        h('td', { 'data-label': 'Phone', class: 'nowrap' }, c.phone),
        h('td', { 'data-label': 'Name' }, [c.first_name, c.last_name].filter(Boolean).join(' ') || '—'),
        h('td', { 'data-label': 'Location' }, c.location || '—'),
        h('td', { 'data-label': 'Preferred product' }, c.preferred_product || '—'),
        h('td', { 'data-label': 'Opted out' }, c.opted_out ? 'Yes' : 'No'));
    }) : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, phone.value ? 'No customer has that phone number.' : 'No customers yet.')));
    clear(footer, pagePager(result.pagination, (p) => { page = p; load(); }, 'customers'));
  }

  return { el, selected, load };
}
