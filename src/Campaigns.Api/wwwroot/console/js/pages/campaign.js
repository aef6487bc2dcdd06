// One campaign: its template and stats, the actions its status allows, and its messages.
import { h, clear, num, when } from '../dom.js';
import { api } from '../api.js';
import { navigate } from '../router.js';
import { notice, runAction } from '../ui/notices.js';
import { takeFlash } from '../ui/flash.js';
import { allowedActions, channelLabel, progressBar, statusBadge, updateProgressBar } from '../ui/status.js';
import { poller } from '../ui/poller.js';
import { skippedPhrases } from '../ui/skipped.js';
import { messagesPanel } from './campaign-messages.js';
import { showStats } from './campaign-stats.js';
import { durationLabel, windowLabel } from '../ui/timing.js';

export async function render(root, { params, signal, onLeave }) {
  const id = params[0];
  let campaign = await api.get(`/campaigns/${id}`, {}, { signal });

  const title = h('h1');
  const badge = h('span');
  const actions = h('div', { class: 'actions', role: 'group', 'aria-label': 'Campaign actions' });
  const outcome = h('div', { 'aria-live': 'polite' });
  const bar = progressBar(campaign.stats);
  bar.classList.add('progress-large');
  const stats = h('dl', { class: 'stats' });
  const details = h('dl', { class: 'details' });
  const template = h('pre', { class: 'template' });
  const messages = messagesPanel(id, signal);
  // The save that opened this page may have left warnings (a translation not in its language).
  const flashed = takeFlash();

  clear(root,
    h('a', { class: 'back', href: '#/campaigns' }, '← All campaigns'),
    h('div', { class: 'page-head' }, h('div', { class: 'title-line' }, title, badge), actions),
    flashed ? notice(flashed.kind, h('strong', {}, flashed.title), h('ul', { id: 'save-warnings' }, flashed.lines.map((line) => h('li', {}, line)))) : null,
    outcome,
    h('div', { class: 'grid-2' },
      h('section', { class: 'card', 'aria-labelledby': 'delivery-title' }, h('h2', { id: 'delivery-title' }, 'Delivery'), bar, stats),
      h('section', { class: 'card', 'aria-labelledby': 'template-title' }, h('h2', { id: 'template-title' }, 'Template'), template, details)),
    messages.el);

  const poll = poller(refresh, 1000);
  onLeave(poll.stop);

  function show() {
    title.textContent = campaign.name;
    clear(badge, statusBadge(campaign.status));
    updateProgressBar(bar, campaign.stats);
    showStats(stats, campaign.stats);
    template.textContent = campaign.base_template;
    clear(details,
      h('div', {}, h('dt', {}, 'Channel'), h('dd', {}, channelLabel(campaign.channel))),
      h('div', {}, h('dt', {}, 'Scheduled'), h('dd', {}, campaign.scheduled_at ? when(campaign.scheduled_at) : 'Not scheduled')),
      h('div', {}, h('dt', {}, 'Send window'), h('dd', { id: 'campaign-window' }, windowLabel(campaign.send_window))),
      h('div', {}, h('dt', {}, 'Validity'), h('dd', { id: 'campaign-validity' }, campaign.validity ? durationLabel(campaign.validity) : 'None: messages never expire')),
      // The deadline exists from the dispatch on; before it, only a validity says one will.
      campaign.validity ? h('div', {}, h('dt', {}, 'Valid until'),
        h('dd', { id: 'campaign-valid-until' }, campaign.valid_until ? when(campaign.valid_until) : 'Set when it is sent')) : null,
      campaign.variants ? h('div', {}, h('dt', {}, 'Variants'), h('dd', { id: 'campaign-variants' }, variantsLabel(campaign))) : null,
      campaign.ab_test ? h('div', {}, h('dt', {}, 'A/B test'), h('dd', { id: 'campaign-ab-test' }, abTestLabel(campaign))) : null,
      h('div', {}, h('dt', {}, 'Created'), h('dd', {}, when(campaign.created_at))),
      h('div', {}, h('dt', {}, 'Updated'), h('dd', {}, when(campaign.updated_at))));
    showActions();
    // Sending; or paused with sends still in flight; or scheduled with its audience (it starts by itself).
    const moving = campaign.status === 'sending' || (campaign.status === 'paused' && campaign.stats.sending > 0)
      || (campaign.status === 'scheduled' && campaign.stats.total > 0);
    poll.schedule(moving);
  }

  function showActions() {
    const allowed = allowedActions(campaign);
    const button = (label, className, run) => {
      const el = h('button', { type: 'button', class: `btn ${className}` }, label);
      el.addEventListener('click', () => runAction(el, run));
      return el;
    };
    clear(actions,
      allowed.send ? h('a', { class: 'btn btn-primary', href: `#/campaigns/${id}/send` }, 'Choose audience & send') : null,
      allowed.edit ? h('a', { class: 'btn', href: `#/campaigns/${id}/edit` }, 'Edit') : null,
      allowed.pause ? button('Pause', '', () => control('pause', 'Paused: no further message is sent until you resume.')) : null,
      allowed.resume ? button('Resume', 'btn-primary', () => control('resume', 'Resumed: the pending messages are being sent.')) : null,
      allowed.retryFailed ? button('Retry failed', '', retryFailed) : null,
      allowed.cancel ? button('Cancel campaign', 'btn-danger-quiet', cancel) : null,
      allowed.delete ? button('Delete', 'btn-danger-quiet', remove) : null);
  }

  async function control(action, message) {
    campaign = await api.post(`/campaigns/${id}/${action}`, undefined, { signal });
    clear(outcome, notice('success', message));
    show();
    await messages.reload();
  }

  async function cancel() {
    if (!confirm(`Cancel “${campaign.name}”? Messages not yet sent will not be sent.`)) return;
    await control('cancel', 'Cancelled: every message still pending is cancelled.');
  }

  async function retryFailed() {
    const result = await api.post(`/campaigns/${id}/retry-failed`, undefined, { signal });
    clear(outcome, notice('success', [`${num(result.messages_queued)} failed messages queued again`, ...skippedPhrases(result)].join(' · '), '.'));
    await refresh();
  }

  async function remove() {
    if (!confirm(`Delete “${campaign.name}” and its messages? This cannot be undone.`)) return;
    await api.delete(`/campaigns/${id}`, { signal });
    navigate('#/campaigns');
  }

  async function refresh() {
    campaign = await api.get(`/campaigns/${id}`, {}, { signal });
    show();
    if (messages.onFirstPage()) await messages.reload();
  }

  show();
  await messages.reload();
}

// Each variant: its key and weight, and once sent its messages, sent and clicked (stats.variants, GET /campaigns/{id} only).
function variantsLabel(campaign) {
  return campaign.variants.map(v => {
    const counted = campaign.stats.variants?.[v.key];
    const tally = counted ? `: ${num(counted.total)} messages, ${num(counted.sent + counted.delivered)} sent, ${num(counted.clicked)} clicked` : '';
    return `${v.key} (weight ${v.weight})${tally}`;
  }).join(' · ');
}

function abTestLabel(campaign) {
  const test = campaign.ab_test;
  const decided = campaign.winner ? `winner: ${campaign.winner}` : 'no winner yet';
  return `${test.sample_percent}% sample, decided on ${test.metric} after ${durationLabel(test.decide_after)}; ${decided}`;
}
