// Paging controls: by page number (lists), or forward with next_cursor and back through the cursors seen.
import { h, num } from '../dom.js';

const counted = (n, noun) => `${num(n)} ${n === 1 ? noun.replace(/s$/, '') : noun}`;

export function pagePager(pagination, onPage, noun = 'items') {
  const { page, total_pages: pages, total_count: total } = pagination;
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('span', { class: 'muted' }, `${counted(total, noun)} · page ${num(page)} of ${num(Math.max(pages, 1))}`),
    h('button', { type: 'button', class: 'btn btn-small', disabled: page <= 1, onclick: () => onPage(page - 1) }, '← Previous'),
    h('button', { type: 'button', class: 'btn btn-small', disabled: page >= pages, onclick: () => onPage(page + 1) }, 'Next →'));
}

/** Keeps the cursors of the pages seen so far, so Previous walks back without offsets. */
export class CursorTrail {
  #cursors = [null];

  get current() {
    return this.#cursors.at(-1);
  }

  get depth() {
    return this.#cursors.length;
  }

  forward(nextCursor) {
    this.#cursors.push(nextCursor);
  }

  back() {
    if (this.#cursors.length > 1) this.#cursors.pop();
  }

  reset() {
    this.#cursors = [null];
  }
}

export function cursorPager(trail, pagination, onMove, noun = 'items') {
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('span', { class: 'muted' }, `${counted(pagination.total_count, noun)} · page ${num(trail.depth)}`),
    h('button', { type: 'button', class: 'btn btn-small', disabled: trail.depth <= 1, onclick: () => { trail.back(); onMove(); } }, '← Previous'),
    h('button', { type: 'button', class: 'btn btn-small', disabled: !pagination.next_cursor,
      onclick: () => { trail.forward(pagination.next_cursor); onMove(); } }, 'Next →'));
}
