// Hash routes (#/campaigns/12?status=sent): each page module renders into <main> and is told when it is left.
import { h, clear } from './dom.js';
import { showError } from './ui/notices.js';

const routes = [
  { pattern: /^\/campaigns\/new$/, page: 'compose', nav: 'compose', title: 'New campaign' },
  { pattern: /^\/campaigns\/(\d+)\/edit$/, page: 'compose', nav: 'compose', title: 'Edit campaign' },
  { pattern: /^\/campaigns\/(\d+)\/send$/, page: 'audience', nav: 'campaigns', title: 'Choose audience' },
  { pattern: /^\/campaigns\/(\d+)\/messages\/(\d+)$/, page: 'message', nav: 'campaigns', title: 'Message' },
  { pattern: /^\/campaigns\/(\d+)$/, page: 'campaign', nav: 'campaigns', title: 'Campaign' },
  { pattern: /^\/campaigns$/, page: 'campaigns', nav: 'campaigns', title: 'Campaigns' },
  { pattern: /^\/customers$/, page: 'customers', nav: 'customers', title: 'Customers' },
  { pattern: /^\/suppressions$/, page: 'suppressions', nav: 'suppressions', title: 'Suppressions' },
  { pattern: /^\/inbound$/, page: 'inbound', nav: 'inbound', title: 'Inbound' },
];

let current = null;

function parseHash() {
  const hash = location.hash.replace(/^#/, '') || '/campaigns';
  const [path, search = ''] = hash.split('?');
  return { path, query: new URLSearchParams(search) };
}

export function navigate(hash) {
  location.hash = hash;
}

async function show() {
  current?.leave();
  const { path, query } = parseHash();
  const route = routes.find((r) => r.pattern.test(path));
  const root = document.getElementById('app');
  if (!route) {
    navigate('#/campaigns');
    return;
  }

  const controller = new AbortController();
  const cleanups = [];
  const visit = {
    leave() {
      controller.abort();
      cleanups.splice(0).forEach((fn) => fn());
    },
  };
  current = visit;

  document.title = `${route.title} · Campaigns console`;
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === route.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }

  const context = {
    params: path.match(route.pattern).slice(1),
    query,
    signal: controller.signal,
    onLeave: (fn) => cleanups.push(fn),
    /** Keeps filters in the address (for reload and back) without rendering again. */
    setQuery(values) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(values)) if (value) params.set(name, value);
      const text = params.toString();
      history.replaceState(null, '', `#${path}${text ? `?${text}` : ''}`);
    },
  };

  try {
    const module = await import(`./pages/${route.page}.js`);
    if (controller.signal.aborted) return;
    clear(root);
    await module.render(root, context);
  } catch (error) {
    if (error?.name === 'AbortError' || controller.signal.aborted) return;
    showError(error);
    clear(root, h('section', { class: 'card empty' },
      h('h1', {}, 'This page could not be loaded'),
      h('p', { class: 'muted' }, error?.message ?? String(error)),
      h('button', { type: 'button', class: 'btn', onclick: () => show() }, 'Try again')));
  }
}

export function startRouter() {
  window.addEventListener('hashchange', show);
  show();
}
