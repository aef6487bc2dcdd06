// A campaign's messages: filter by status, page forward with next_cursor, provider, receipts, last_error, and the
// variant, language and personalization of each in view;
// a row opens the message's timeline.
import { h, clear, when } from '../dom.js';
import { api } from '../api.js';
import { navigate } from '../router.js';
import { CursorTrail, cursorPager } from '../ui/pager.js';
import { providerLabel, statusBadge } from '../ui/status.js';
import { field } from '../ui/forms.js';

const statuses = ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'expired'];
const columns = ['#', 'Customer', 'Status', 'Provider', 'Message', 'Content', 'Last error', 'Retries', 'Updated'];

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
      h('thead', {}, h('tr', {}, columns.map((t) => h('th', { scope: 'col' }, t)))),
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
      : h('tr', {}, h('td', { colspan: columns.length, class: 'empty' },
        statusSelect.value ? `No ${statusSelect.value} messages.` : 'No messages yet: choose an audience and send.')));
    clear(footer, cursorPager(trail, result.pagination, reload, 'messages'));
  }

  return { el, reload, onFirstPage: () => trail.depth === 1 };
}

/** The times under the badge: when a waiting message's send window opens; when the handset got it, when it was read. */
function receiptTimes(m) {
  return [
    m.not_before ? h('span', { class: 'receipt-time not-before' }, `Waits until ${when(m.not_before)}`) : null,
    m.delivered_at ? h('span', { class: 'receipt-time' }, `Delivered ${when(m.delivered_at)}`) : null,
    m.read_at ? h('span', { class: 'receipt-time' }, `Read ${when(m.read_at)}`) : null,
  ];
}

/** Which variant, in which language, written how: `b · sw · AI`; '—' for a plain message of no language. */
export function contentTags(m) {
  const tags = [
    m.variant ? h('span', { class: 'tag tag-variant', title: 'Variant' }, m.variant) : null,
    m.language ? h('span', { class: 'tag tag-language', title: 'Language' }, m.language) : null,
    m.personalization ? h('span', { class: 'tag tag-personalization', title: 'Personalization' }, personalizationLabel(m.personalization)) : null,
  ].filter(Boolean);
  return tags.length ? h('span', { class: 'content-tags' }, tags) : '—';
}

export const personalizationLabel = (p) => (p === 'ai' ? 'AI' : p === 'fallback' ? 'AI fallback' : p);

function messageRow(m) {
  const href = `#/campaigns/${m.campaign_id}/messages/${m.id}`;
  // An undelivered message has no error of ours, only the provider's code.
  const problem = [m.last_error, m.error_code ? `code ${m.error_code}` : null].filter(Boolean).join(' · ');
  // The link is the keyboard's way in; a click anywhere else on the row goes to the same place.
  return h('tr', { class: 'clickable', dataset: { messageId: m.id }, onclick: (event) => {
    if (!event.target.closest('a')) navigate(href);
  } },
  h('td', { 'data-label': '#' }, h('a', { href, 'aria-label': `Message ${m.id}: timeline` }, m.id)),
  h('td', { 'data-label': 'Customer' }, m.customer_id),
  h('td', { 'data-label': 'Status' }, h('div', { class: 'status-cell' }, statusBadge(m.status), receiptTimes(m))),
  h('td', { 'data-label': 'Provider', class: m.provider ? 'nowrap' : 'muted' }, providerLabel(m.provider)),
  h('td', { 'data-label': 'Message', class: 'message-text' }, m.rendered_content ?? 'Held until the A/B test picks its winner'),
  h('td', { 'data-label': 'Content', class: 'content' }, contentTags(m)),
  h('td', { 'data-label': 'Last error', class: problem ? 'error-text' : 'muted' }, problem || '—'),
  h('td', { 'data-label': 'Retries' }, m.retry_count),
  h('td', { 'data-label': 'Updated', class: 'nowrap muted' }, when(m.updated_at)));
}
