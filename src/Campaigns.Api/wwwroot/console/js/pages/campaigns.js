// The campaign list: filters, and a progress bar per row that moves while any campaign sends.
import { h, clear, when } from '../dom.js';
import { api } from '../api.js';
import { pagePager } from '../ui/pager.js';
import { channelLabel, isActive, progressBar, statusBadge, updateProgressBar } from '../ui/status.js';
import { field } from '../ui/forms.js';
import { poller } from '../ui/poller.js';

const statuses = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'failed', 'cancelled'];

export async function render(root, { query, signal, onLeave, setQuery }) {
  const state = { status: query.get('status') ?? '', channel: query.get('channel') ?? '', page: Number(query.get('page')) || 1 };
  const rows = new Map();

  const statusSelect = h('select', { name: 'status' }, h('option', { value: '' }, 'Any status'),
    statuses.map((s) => h('option', { value: s, selected: s === state.status }, s)));
  const channelSelect = h('select', { name: 'channel' }, h('option', { value: '' }, 'Any channel'),
    h('option', { value: 'sms', selected: state.channel === 'sms' }, 'SMS'),
    h('option', { value: 'whatsapp', selected: state.channel === 'whatsapp' }, 'WhatsApp'));
  const body = h('tbody');
  const footer = h('div');
  const table = h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'campaigns-table' },
    h('thead', {}, h('tr', {},
      ['Campaign', 'Channel', 'Status', 'Progress', 'Created'].map((t) => h('th', { scope: 'col' }, t)))),
    body));

  clear(root,
    h('div', { class: 'page-head' },
      h('h1', {}, 'Campaigns'),
      h('a', { class: 'btn btn-primary', href: '#/campaigns/new' }, 'New campaign')),
    h('form', { class: 'toolbar', role: 'search', 'aria-label': 'Filter campaigns' },
      field('Status', statusSelect), field('Channel', channelSelect)),
    h('section', { class: 'card flush' }, table, footer));

  const onFilter = () => {
    state.status = statusSelect.value;
    state.channel = channelSelect.value;
    state.page = 1;
    load();
  };
  statusSelect.addEventListener('change', onFilter);
  channelSelect.addEventListener('change', onFilter);

  const poll = poller(() => load(), 1000);
  onLeave(poll.stop);

  let latest = 0;
  async function load() {
    const seq = ++latest;
    setQuery({ status: state.status, channel: state.channel, page: state.page > 1 ? state.page : '' });
    const result = await api.get('/campaigns', { status: state.status, channel: state.channel, page: state.page, page_size: 20 }, { signal });
    if (seq !== latest) return;
    show(result);
    poll.schedule(result.data.some(isActive));
  }

  function show(result) {
    const ids = result.data.map((c) => c.id).join();
    if (ids !== [...rows.keys()].join()) {
      rows.clear();
      clear(body, result.data.length ? null : h('tr', {}, h('td', { colspan: 5, class: 'empty' },
        state.status || state.channel ? 'No campaign matches these filters.' : 'No campaigns yet. Create one with “New campaign”.')));
      for (const campaign of result.data) {
        const row = campaignRow(campaign);
        rows.set(campaign.id, row);
        body.append(row.el);
      }
    } else {
      for (const campaign of result.data) rows.get(campaign.id).update(campaign);
    }
    clear(footer, pagePager(result.pagination, (page) => { state.page = page; load(); }, 'campaigns'));
  }

  await load();
}

function campaignRow(campaign) {
  const status = h('td', { 'data-label': 'Status' });
  const bar = progressBar(campaign.stats);
  const el = h('tr', { dataset: { campaignId: campaign.id } },
    h('td', { 'data-label': 'Campaign' }, h('a', { href: `#/campaigns/${campaign.id}`, class: 'strong' }, campaign.name)),
    h('td', { 'data-label': 'Channel' }, channelLabel(campaign.channel)),
    status,
    h('td', { 'data-label': 'Progress', class: 'progress-cell' }, bar),
    h('td', { 'data-label': 'Created', class: 'nowrap muted' }, when(campaign.created_at)));
  const update = (c) => {
    clear(status, statusBadge(c.status));
    updateProgressBar(bar, c.stats);
  };
  update(campaign);
  return { el, update };
}
