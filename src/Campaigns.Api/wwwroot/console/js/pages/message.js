// One message: its text, recipient, provider and receipt times, and its timeline of events.
import { h, clear, whenExact } from '../dom.js';
import { api } from '../api.js';
import { runAction } from '../ui/notices.js';
import { channelLabel, providerLabel, statusBadge } from '../ui/status.js';
import { timelinePanel } from './message-timeline.js';
import { personalizationLabel } from './campaign-messages.js';

export async function render(root, { params, signal }) {
  const [campaignId, messageId] = params;
  const path = `/campaigns/${campaignId}/messages/${messageId}`;
  const [campaign, first] = await Promise.all([
    api.get(`/campaigns/${campaignId}`, {}, { signal }),
    api.get(path, {}, { signal }),
  ]);
  let message = first;

  const title = h('h1');
  const badge = h('span');
  const text = h('pre', { class: 'template' });
  const details = h('dl', { class: 'details', id: 'message-details' });
  const timeline = timelinePanel(campaignId, messageId, signal);
  // Receipts keep coming after the send: a refresh reads the message and its timeline again.
  const refresh = h('button', { type: 'button', class: 'btn' }, 'Refresh');
  refresh.addEventListener('click', () => runAction(refresh, async () => {
    message = await api.get(path, {}, { signal });
    show();
    await timeline.reload();
  }));

  clear(root,
    h('a', { class: 'back', href: `#/campaigns/${campaignId}` }, `← ${campaign.name}`),
    h('div', { class: 'page-head' }, h('div', { class: 'title-line' }, title, badge), h('div', { class: 'actions' }, refresh)),
    h('div', { class: 'grid-2' },
      h('section', { class: 'card', 'aria-labelledby': 'message-title' }, h('h2', { id: 'message-title' }, 'Message'), text, details),
      timeline.el));

  function show() {
    const item = (label, value, className) => h('div', { class: className },
      h('dt', {}, label), h('dd', {}, value ?? '—'));
    title.textContent = `Message ${message.id}`;
    clear(badge, statusBadge(message.status));
    text.textContent = message.rendered_content ?? 'Held until the A/B test picks its winner';
    clear(details,
      item('Customer', message.customer_id),
      item('Channel', channelLabel(campaign.channel)),
      item('Provider', providerLabel(message.provider)),
      item('Variant', message.variant, 'message-variant'),
      item('Language', message.language, 'message-language'),
      item('Written', message.personalization && personalizationLabel(message.personalization), 'message-personalization'),
      item('Error code', message.error_code),
      item('Provider message id', message.provider_message_id ? h('code', {}, message.provider_message_id) : null, 'wide'),
      message.not_before ? item('Waits until', whenExact(message.not_before), 'not-before') : null,
      item('Sent', whenExact(message.sent_at)),
      item('Delivered', whenExact(message.delivered_at)),
      item('Read', whenExact(message.read_at)),
      item('Retries', message.retry_count),
      item('Last error', message.last_error, 'wide'),
      item('Created', whenExact(message.created_at)),
      item('Updated', whenExact(message.updated_at)));
  }

  show();
  await timeline.reload();
}
