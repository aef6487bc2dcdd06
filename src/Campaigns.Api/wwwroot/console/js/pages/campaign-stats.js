// A campaign's counters: one per message status, read and clicked, and the rates receipts make possible.
import { h, clear, num, percent } from '../dom.js';

// Total, the eight statuses (which sum to it), then read and clicked (messages read or clicked at least once);
// waiting (of the pending, those waiting for their recipient's send window) follows pending.
const statKeys = ['total', 'pending', 'waiting', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'cancelled', 'expired', 'read', 'clicked'];
const notes = {
  waiting: () => 'of pending, for their send window',
  read: ({ read, delivered }) => (delivered ? `${percent(read, delivered)} of delivered` : null),
};

function stat(key, label, value, note) {
  return h('div', { class: `stat stat-${key}` },
    h('dt', {}, label),
    h('dd', { class: 'stat-value' }, value),
    note ? h('dd', { class: 'stat-note' }, note) : null);
}

/** Fills the <dl> with the counters, waiting as part of pending, read as a share of delivered, and the delivery rate. */
export function showStats(list, stats) {
  const { delivered, undelivered } = stats;
  // Only receipts decide: delivered of the messages whose fate a provider reported.
  const decided = delivered + undelivered;
  clear(list,
    statKeys.map((key) => stat(key, key, num(stats[key]), notes[key]?.(stats))),
    stat('delivery-rate', 'delivery rate', percent(delivered, decided),
      decided ? `${num(delivered)} of ${num(decided)} with a receipt` : 'no receipts yet'));
}
