// Campaign and message status: badges, the delivery progress bar, and which actions a status allows.
import { h, num } from '../dom.js';

export function statusBadge(status) {
  return h('span', { class: `badge badge-${status}` }, status);
}

export function channelLabel(channel) {
  return channel === 'whatsapp' ? 'WhatsApp' : 'SMS';
}

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

/** A stacked bar: accepted, failed, cancelled or expired, in flight; the rest of the track is pending. */
export function progressBar(stats) {
  const segments = ['sent', 'failed', 'cancelled', 'sending'].map((part) => h('span', { class: `bar-${part}` }));
  const bar = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100 },
    h('div', { class: 'progress-track' }, segments),
    h('div', { class: 'progress-label' }));
  updateProgressBar(bar, stats);
  return bar;
}

export function updateProgressBar(bar, stats) {
  const total = stats?.total ?? 0;
  const percent = percentDone(stats);
  const [sent, failed, cancelled, sending] = bar.querySelectorAll('.progress-track span');
  const width = (n) => (total ? `${(n * 100) / total}%` : '0');
  sent.style.width = width(accepted(stats));
  failed.style.width = width(stats?.failed ?? 0);
  cancelled.style.width = width(stopped(stats));
  sending.style.width = width(stats?.sending ?? 0);
  const label = total
    ? `${percent}% · ${num(accepted(stats))} sent · ${num(stats.failed)} failed · ${num(stats.pending + stats.sending)} pending of ${num(total)}`
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
