// Campaign and message status: badges, the delivery progress bar, and which actions a status allows.
import { h, num } from '../dom.js';

export function statusBadge(status) {
  return h('span', { class: `badge badge-${status}` }, status);
}

/** A timeline event's type as a badge: the statuses' colours, and words for the types that are no status. */
export function eventBadge(type) {
  return h('span', { class: `badge badge-${type}`, dataset: { type } }, type.replaceAll('_', ' '));
}

export function channelLabel(channel) {
  return channel === 'whatsapp' ? 'WhatsApp' : 'SMS';
}

const providerNames = { mock: 'Mock', twilio: 'Twilio', africastalking: 'Africa’s Talking', 'whatsapp-cloud': 'WhatsApp Cloud' };

/** A provider by its display name; an unknown one as the API names it; '—' for none (not sent yet). */
export const providerLabel = (provider) => (provider ? providerNames[provider] ?? provider : '—');

/** Accepted by a provider: sent, and those a receipt has since moved on (delivered, undelivered). */
const accepted = (stats) => (stats?.sent ?? 0) + (stats?.delivered ?? 0) + (stats?.undelivered ?? 0);

/** Given up without a failure: cancelled, or expired before it could be sent. */
const stopped = (stats) => (stats?.cancelled ?? 0) + (stats?.expired ?? 0);

/** Accepted or given up (failed, cancelled, expired) of the total, in whole percent; 100 only when nothing is left. */
export function percentDone(stats) {
  if (!stats?.total) return 0;
  const done = stats.total - stats.pending - stats.sending;
  return done >= stats.total ? 100 : Math.floor((done * 100) / stats.total);
}

/**
 * The stacked bar's parts, left to right: delivered, accepted and awaiting a receipt (sent), undelivered,
 * failed, given up (cancelled or expired), in flight; the rest of the track is pending.
 */
const barParts = [
  ['delivered', (stats) => stats?.delivered ?? 0],
  ['sent', (stats) => stats?.sent ?? 0],
  ['undelivered', (stats) => stats?.undelivered ?? 0],
  ['failed', (stats) => stats?.failed ?? 0],
  ['cancelled', stopped],
  ['sending', (stats) => stats?.sending ?? 0],
];

export function progressBar(stats) {
  const segments = barParts.map(([part]) => h('span', { class: `bar-${part}` }));
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 },
    h('div', { class: 'progress-track' }, segments),
    h('div', { class: 'progress-label' }));
  updateProgressBar(bar, stats);
  return bar;
}

export function updateProgressBar(bar, stats) {
  const total = stats?.total ?? 0;
  const percent = percentDone(stats);
  const width = (n) => (total ? `${(n * 100) / total}%` : '0');
  bar.querySelectorAll('.progress-track span').forEach((segment, i) => {
    segment.style.width = width(barParts[i][1](stats));
  });
  // Receipts split what was sent; without any (the mock provider sends none) the label stays short.
  const receipts = (stats?.delivered ?? 0) + (stats?.undelivered ?? 0);
  const split = receipts ? ` (${num(stats.delivered)} delivered, ${num(stats.undelivered)} undelivered)` : '';
  // Pending messages that wait for their recipients' send window are said apart: they are not stuck.
  const waiting = stats?.waiting ? ` (${num(stats.waiting)} waiting for their send window)` : '';
  // Expired messages (their validity ended) are named only when there are some, like the receipts' split.
  const expired = stats?.expired ? ` · ${num(stats.expired)} expired` : '';
  const label = total
    ? `${percent}% · ${num(accepted(stats))} sent${split} · ${num(stats.failed)} failed${expired} · ${num(stats.pending + stats.sending)} pending of ${num(total)}${waiting}`
    : 'No audience yet';
  bar.querySelector('.progress-label').textContent = label;
  bar.setAttribute('aria-valuenow', String(percent));
  bar.setAttribute('aria-valuetext', label);
  bar.classList.toggle('progress-empty', !total);
}

/** api.md's rules: which buttons a campaign in this state shows. */
export function allowedActions(campaign) {
  const { status, stats } = campaign;
  const neverSent = (status === 'draft' || status === 'scheduled') && stats.total === 0;
  return {
    send: neverSent,
    edit: neverSent,
    pause: status === 'sending',
    resume: status === 'paused',
    cancel: !['sent', 'failed', 'cancelled'].includes(status),
    retryFailed: (status === 'sent' || status === 'failed') && stats.failed > 0,
    delete: status !== 'sending' && status !== 'paused',
  };
}

/** A campaign whose numbers still move: worth polling. */
export const isActive = (campaign) => campaign.status === 'sending';
