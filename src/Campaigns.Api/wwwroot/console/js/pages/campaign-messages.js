// A campaign's messages: filter by status, page forward with next_cursor, last_error in view.
import { h, clear, when } from '../dom.js';
import { api } from '../api.js';
import { CursorTrail, cursorPager } from '../ui/pager.js';
import { statusBadge } from '../ui/status.js';
import { field } from '../ui/forms.js';

const statuses = ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'expired'];

export function messagesPanel(campaignId, signal) {
  const trail = new CursorTrail();
  const statusSelect = h('select', { name: 'message-status' }, h('option', { value: '' }, 'Any status'),
    statuses.map((s) => h('option', { value: s }, s)));
  const body = h('tbody');
  const footer = h('div');
  const el = h('section', { class: 'card flush', 'aria-labelledby': 'messages-title' },
    h('div', { class: 'card-head' }, h('h2', { id: 'messages-title' }, 'Messages'),
      h('div', { class: 'toolbar inline' }, field('Status', statusSelect))),
    h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'messages-table' },
      h('thead', {}, h('tr', {}, ['#', 'Customer', 'Status', 'Message', 'Last error', 'Retries', 'Updated'].map((t) => h('th', { scope: 'col' }, t)))),
      body)),
    footer);

  statusSelect.addEventListener('change', () => {
    trail.reset();
    reload();
  });

  let latest = 0;
  async function reload() {
    const seq = ++latest;
    const result = await api.get(`/campaigns/${campaignId}/messages`,
      { status: statusSelect.value, cursor: trail.current, page_size: 20 }, { signal });
    if (seq !== latest) return;
    clear(body, result.data.length
      ? result.data.map(messageRow)
      : h('tr', {}, h('td', { colspan: 7, class: 'empty' }, statusSelect.value ? `No ${statusSelect.value} messages.` : 'No messages yet: choose an audience and send.')));
    clear(footer, cursorPager(trail, result.pagination, reload, 'messages'));
  }

  return { el, reload, onFirstPage: () => trail.depth === 1 };
}

function messageRow(m) {
  return h('tr', {},
    h('td', { 'data-label': '#', class: 'muted' }, m.id),
    h('td', { 'data-label': 'Customer' }, m.customer_id),
    h('td', { 'data-label': 'Status' }, statusBadge(m.status)),
    h('td', { 'data-label': 'Message', class: 'message-text' }, m.rendered_content),
    h('td', { 'data-label': 'Last error', class: m.last_error ? 'error-text' : 'muted' }, m.last_error ?? '—'),
    h('td', { 'data-label': 'Retries' }, m.retry_count),
    h('td', { 'data-label': 'Updated', class: 'nowrap muted' }, when(m.updated_at)));
}
