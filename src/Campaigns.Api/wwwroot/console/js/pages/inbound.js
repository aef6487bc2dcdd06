// Inbound: what recipients wrote, newest first, from every provider's webhook and POST /inbound; keywords as badges.
import { h, clear, whenExact } from '../dom.js';
import { api } from '../api.js';
import { pagePager } from '../ui/pager.js';
import { channelLabel } from '../ui/status.js';
import { inboundProvider, keywordBadge } from '../ui/consent.js';

export async function render(root, { query, signal, setQuery }) {
  const state = { page: Number(query.get('page')) || 1 };
  const body = h('tbody');
  const footer = h('div');

  clear(root,
    h('div', { class: 'page-head' }, h('h1', {}, 'Inbound messages')),
    h('p', { class: 'muted' }, 'What recipients wrote back. STOP suppresses the phone on every channel, START lifts that, HELP gets the help text.'),
    h('section', { class: 'card flush' },
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'inbound-table' },
        h('thead', {}, h('tr', {}, ['Received', 'Channel', 'Provider', 'From', 'Text', 'Keyword', 'Customer'].map((t) => h('th', { scope: 'col' }, t)))),
        body)),
      footer));

  async function load() {
    setQuery({ page: state.page > 1 ? state.page : '' });
    const result = await api.get('/inbound', { page: state.page, page_size: 20 }, { signal });
    clear(body, result.data.length ? result.data.map(inboundRow)
      : h('tr', {}, h('td', { colspan: 7, class: 'empty' }, 'No inbound messages yet.')));
    clear(footer, pagePager(result.pagination, (p) => { state.page = p; load(); }, 'messages'));
  }

  await load();
}

function inboundRow(m) {
  // No page of its own for a customer: the link opens the customers list searched by the sender's phone.
  const customer = m.customer_id === null
    ? h('span', { class: 'muted' }, '—')
    : h('a', { href: `#/customers?phone=${encodeURIComponent(m.from)}`, 'aria-label': `Customer ${m.customer_id}` }, String(m.customer_id));
  return h('tr', { dataset: { inboundId: m.id } },
    h('td', { 'data-label': 'Received', class: 'nowrap muted' }, h('time', { datetime: m.received_at }, whenExact(m.received_at))),
    h('td', { 'data-label': 'Channel', class: 'nowrap' }, channelLabel(m.channel)),
    h('td', { 'data-label': 'Provider', class: 'nowrap' }, inboundProvider(m.provider)),
    h('td', { 'data-label': 'From', class: 'nowrap strong' }, m.from),
    h('td', { 'data-label': 'Text', class: 'message-text' }, m.text),
    h('td', { 'data-label': 'Keyword' }, keywordBadge(m.keyword)),
    h('td', { 'data-label': 'Customer' }, customer));
}
