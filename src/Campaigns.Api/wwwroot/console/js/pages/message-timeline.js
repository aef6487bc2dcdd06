// A message's timeline: its events oldest first (queued is its creation), more pages loaded with next_cursor.
import { h, clear, append, num, whenExact } from '../dom.js';
import { api } from '../api.js';
import { runAction } from '../ui/notices.js';
import { eventBadge, providerLabel } from '../ui/status.js';

const pageSize = 50;

/** What each event means, in the operator's words. */
const meanings = {
  queued: 'Written by the send',
  claimed: 'Taken by a worker to send',
  attempt_failed: 'An attempt failed; it is tried again',
  sent: 'Accepted by the provider',
  delivered: 'Reached the handset',
  undelivered: 'The network gave up after accepting it',
  read: 'Read by the recipient',
  clicked: 'A link in it was opened',
  failed: 'Given up: no further attempt',
  cancelled: 'Cancelled before it was sent',
  expired: 'Its validity ended',
  provider_status: 'The provider reported a status',
};

function eventItem(event) {
  return h('li', { class: `timeline-item timeline-${event.type}` },
    h('span', { class: 'timeline-dot', 'aria-hidden': 'true' }),
    h('div', { class: 'timeline-head' },
      eventBadge(event.type),
      h('time', { datetime: event.at, class: 'timeline-time' }, whenExact(event.at))),
    h('p', { class: 'timeline-text' }, meanings[event.type] ?? event.type),
    event.provider || event.detail
      ? h('p', { class: 'timeline-meta' },
        event.provider ? h('span', { class: 'timeline-provider' }, providerLabel(event.provider)) : null,
        event.detail ? h('span', { class: 'timeline-detail' }, event.detail) : null)
      : null);
}

export function timelinePanel(campaignId, messageId, signal) {
  const path = `/campaigns/${campaignId}/messages/${messageId}/events`;
  const list = h('ol', { class: 'timeline', id: 'message-timeline', 'aria-live': 'polite' });
  const count = h('span', { class: 'muted' });
  const more = h('button', { type: 'button', class: 'btn btn-small', hidden: true }, 'Load more events');
  const el = h('section', { class: 'card', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, 'Timeline'),
    list,
    h('div', { class: 'timeline-foot' }, count, more));

  let cursor = null;
  let latest = 0;

  /** The first page anew (`fresh`), or the page after the last one shown. */
  async function load(fresh) {
    const seq = ++latest;
    const result = await api.get(path, { page_size: pageSize, cursor: fresh ? null : cursor }, { signal });
    if (seq !== latest) return;
    if (fresh) clear(list);
    append(list, result.data.map(eventItem));
    cursor = result.pagination.next_cursor;
    more.hidden = !cursor;
    const shown = list.children.length;
    count.textContent = `${num(shown)} of ${num(result.pagination.total_count)} ${result.pagination.total_count === 1 ? 'event' : 'events'}`;
  }

  more.addEventListener('click', () => runAction(more, () => load(false)));

  return { el, reload: () => load(true) };
}
