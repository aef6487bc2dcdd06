// Customers: a paged list (with each one's time zone and language), search by phone, the opt-out switch, and a CSV import.
import { h, clear, when } from '../dom.js';
import { api, ApiError } from '../api.js';
import { pagePager } from '../ui/pager.js';
import { field, clearFieldErrors, showFieldErrors } from '../ui/forms.js';
import { showError } from '../ui/notices.js';
import { csvImportForm } from '../ui/import.js';

export async function render(root, { query, signal, setQuery }) {
  const state = { phone: query.get('phone') ?? '', optedOut: query.get('opted_out') ?? '', page: Number(query.get('page')) || 1 };
  const phone = h('input', { type: 'search', name: 'phone', value: state.phone, placeholder: '+254712345678 or 0712345678', autocomplete: 'off' });
  const optedOut = h('select', { name: 'opted_out' },
    h('option', { value: '' }, 'Everyone'),
    h('option', { value: 'false', selected: state.optedOut === 'false' }, 'Opted in'),
    h('option', { value: 'true', selected: state.optedOut === 'true' }, 'Opted out'));
  const search = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Find customers' },
    field('Phone', phone, { name: 'phone' }), field('Consent', optedOut, { name: 'opted_out' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, 'Search'),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { phone.value = ''; optedOut.value = ''; submit(); } }, 'Clear')));
  const body = h('tbody');
  const footer = h('div');

  clear(root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Customers')),
    h('details', { class: 'card import-card' },
      h('summary', {}, h('strong', {}, 'Import customers from a CSV file')),
      csvImportForm({ signal, onImported: () => { state.page = 1; load(); } })),
    search,
    h('section', { class: 'card flush' },
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'customers-table' },
        h('thead', {}, h('tr', {}, ['Phone', 'Name', 'Location', 'Preferred product', 'Time zone', 'Language', 'Opted out', 'Added'].map((t) => h('th', { scope: 'col' }, t)))),
        body)),
      footer));

  const submit = () => {
    state.phone = phone.value.trim();
    state.optedOut = optedOut.value;
    state.page = 1;
    load();
  };
  search.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
  optedOut.addEventListener('change', submit);

  async function load() {
    clearFieldErrors(search);
    setQuery({ phone: state.phone, opted_out: state.optedOut, page: state.page > 1 ? state.page : '' });
    let result;
    try {
      result = await api.get('/customers', { phone: state.phone, opted_out: state.optedOut, page: state.page, page_size: 20 }, { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        showFieldErrors(search, error.fields);
        return;
      }
      throw error;
    }
    clear(body, result.data.length ? result.data.map(customerRow)
      : h('tr', {}, h('td', { colspan: 8, class: 'empty' }, state.phone || state.optedOut ? 'No customer matches.' : 'No customers yet. Import a CSV file to add some.')));
    clear(footer, pagePager(result.pagination, (p) => { state.page = p; load(); }, 'customers'));
  }

  function customerRow(c) {
    const toggle = h('input', { type: 'checkbox', role: 'switch', class: 'switch', checked: c.opted_out, 'aria-label': `${c.phone} opted out` });
    const text = h('span', { 'aria-hidden': 'true' }, c.opted_out ? 'Yes' : 'No');
    toggle.addEventListener('change', async () => {
      toggle.disabled = true;
      try {
        const updated = await api.patch(`/customers/${c.id}`, { opted_out: toggle.checked }, { signal });
        toggle.checked = updated.opted_out;
        text.textContent = updated.opted_out ? 'Yes' : 'No';
      } catch (error) {
        toggle.checked = !toggle.checked;
        showError(error);
      } finally {
        toggle.disabled = false;
      }
    });
    return h('tr', { dataset: { customerId: c.id } },
      h('td', { 'data-label': 'Phone', class: 'nowrap strong' }, c.phone),
      h('td', { 'data-label': 'Name' }, [c.first_name, c.last_name].filter(Boolean).join(' ') || '—'),
      h('td', { 'data-label': 'Location' }, c.location || '—'),
      h('td', { 'data-label': 'Preferred product' }, c.preferred_product || '—'),
      h('td', { 'data-label': 'Time zone', class: 'nowrap' }, c.timezone),
      // None: each send derives it from the phone's region, else the campaign's default.
      h('td', { 'data-label': 'Language', class: c.language ? 'language' : 'language muted' }, c.language ?? '—'),
      h('td', { 'data-label': 'Opted out' }, h('label', { class: 'switch-label' }, toggle, text)),
      h('td', { 'data-label': 'Added', class: 'nowrap muted' }, when(c.created_at)));
  }

  await load();
}
