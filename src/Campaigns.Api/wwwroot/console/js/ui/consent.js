// Consent in words: a suppression's channel and source, an inbound message's provider and keyword.
import { h } from '../dom.js';
import { channelLabel, providerLabel } from './status.js';

/** A suppression's channel: null is every channel. */
export const suppressionChannel = (channel) => (channel ? channelLabel(channel) : 'Every channel');

/** Who suppressed the phone: api (this API), keyword (the recipient wrote STOP) or provider (a provider's opt-out). */
export function sourceBadge(source) {
  return h('span', { class: `badge badge-source-${source}`, dataset: { source } }, source);
}

/** What an inbound text asks for (stop, start, help); nothing for any other text. */
export function keywordBadge(keyword) {
  return keyword ? h('span', { class: `badge badge-keyword-${keyword}`, dataset: { keyword } }, keyword) : h('span', { class: 'muted' }, '—');
}

/** The provider an inbound message came through; null: reported through the API (POST /inbound). */
export const inboundProvider = (provider) => (provider ? providerLabel(provider) : 'API');
