// Suppressions: the phones never messaged (on one channel or every channel), newest first; search, add, remove.
import { h, clear, when } from '../dom.js';
import { api, ApiError } from '../api.js';
import { pagePager } from '../ui/pager.js';
import { field, clearFieldErrors, showFieldErrors } from '../ui/forms.js';
import { notice, runAction } from '../ui/notices.js';
import { sourceBadge, suppressionChannel } from '../ui/consent.js';
import { suppressionForm } from './suppression-form.js';

export async function render(root, { query, signal, setQuery }) {
  const state = { phone: query.get('phone') ?? '', page: Number(query.get('page')) || 1 };
  const phone = h('input', { type: 'search', name: 'phone', value: state.phone, placeholder: '+254712345678 or 0712345678', autocomplete: 'off' });
  const search = h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Find suppressions' },
    field('Phone', phone, { name: 'phone' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn' }, 'Search'),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => { phone.value = ''; submit(); } }, 'Clear')));
  const outcome = h('div', { id: 'suppressions-outcome', 'aria-live': 'polite' });
  const body = h('tbody');
  const footer = h('div');

  clear(root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Suppressions')),
    h('p', { class: 'muted' }, 'A suppressed phone gets no message on its channel, or on any channel. Phones land here from this page '
      + 'and the API, when the recipient writes STOP, and when a provider reports an opt-out.'),
    h('section', { class: 'card', 'aria-labelledby': 'suppress-title' },
      h('h2', { id: 'suppress-title' }, 'Suppress a phone'),
      suppressionForm({ signal, onSaved: () => { state.page = 1; load(); } })),
    search,
    outcome,
    h('section', { class: 'card flush' },
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'suppressions-table' },
        h('thead', {}, h('tr', {}, ['Phone', 'Channel', 'Source', 'Reason', 'Created'].map((t) => h('th', { scope: 'col' }, t)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        body)),
      footer));

  const submit = () => {
    state.phone = phone.value.trim();
    state.page = 1;
    load();
  };
  search.addEventListener('submit', (event) => { event.preventDefault(); submit(); });

  async function load() {
    clearFieldErrors(search);
    setQuery({ phone: state.phone, page: state.page > 1 ? state.page : '' });
    let result;
    try {
      result = await api.get('/suppressions', { phone: state.phone, page: state.page, page_size: 20 }, { signal });
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        showFieldErrors(search, error.fields);
        return;
      }
      throw error;
    }
    clear(body, result.data.length ? result.data.map(suppressionRow)
      : h('tr', {}, h('td', { colspan: 6, class: 'empty' }, state.phone ? 'No suppression of this phone.' : 'No suppressions yet.')));
    clear(footer, pagePager(result.pagination, (p) => { state.page = p; load(); }, 'suppressions'));
  }

  function suppressionRow(s) {
    const channel = suppressionChannel(s.channel);
    const remove = h('button', { type: 'button', class: 'btn btn-small btn-danger-quiet', 'aria-label': `Remove ${s.phone} (${channel})` }, 'Remove');
    remove.addEventListener('click', () => runAction(remove, () => unsuppress(s)));
    return h('tr', { dataset: { phone: s.phone, channel: s.channel ?? '' } },
      h('td', { 'data-label': 'Phone', class: 'nowrap strong' }, s.phone),
      h('td', { 'data-label': 'Channel', class: 'nowrap' }, channel),
      h('td', { 'data-label': 'Source' }, sourceBadge(s.source)),
      h('td', { 'data-label': 'Reason' }, s.reason || '—'),
      h('td', { 'data-label': 'Created', class: 'nowrap muted' }, when(s.created_at)),
      h('td', { class: 'nowrap' }, remove));
  }

  // Without a channel the API removes every suppression of the phone: an every-channel row says so first.
  async function unsuppress(s) {
    const question = s.channel
      ? `Remove the ${suppressionChannel(s.channel)} suppression of ${s.phone}? Its ${suppressionChannel(s.channel)} messages will be sent again.`
      : `Remove ${s.phone} from the list? This removes every suppression of this phone (every channel, whatever its source), and its customer is no longer opted out.`;
    if (!confirm(question)) return;
    let message = s.channel ? `Removed: ${s.phone} on ${suppressionChannel(s.channel)}.` : `Removed: every suppression of ${s.phone}.`;
    try {
      await api.delete(`/suppressions/${encodeURIComponent(s.phone)}`, { query: { channel: s.channel }, signal });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 404) throw error;
      message = `${s.phone} was no longer suppressed there.`;
    }
    clear(outcome, notice('success', message));
    await load();
  }

  await load();
}
