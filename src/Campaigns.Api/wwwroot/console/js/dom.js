// Building DOM without HTML strings: every text goes through textContent, so API data is never markup.

/**
 * h('button', { class: 'btn', onclick: fn, 'aria-label': 'Close' }, 'text', child, [more])
 * Attributes that are false, null or undefined are left out; `true` sets an empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      el.className = value;
    } else if (name === 'value' || name === 'checked' || name === 'selected') {
      el[name] = value;
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const numberFormat = new Intl.NumberFormat();
export const num = (n) => numberFormat.format(n ?? 0);

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const when = (iso) => (iso ? dateFormat.format(new Date(iso)) : '—');

// Receipts and timeline events come seconds apart: their times show the seconds.
const exactFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export const whenExact = (iso) => (iso ? exactFormat.format(new Date(iso)) : '—');

const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
/** part / whole as a percent (66.7%); '—' when the whole is 0. */
export const percent = (part, whole) => (whole ? percentFormat.format(part / whole) : '—');

/** Calls fn after the input has been quiet for `ms`; `.cancel()` drops a pending call. */
export function debounce(fn, ms) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

/** Unicode code points, as the API counts lengths. */
export const codePoints = (text) => [...text].length;
