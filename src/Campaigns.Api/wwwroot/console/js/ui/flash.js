// A notice for the next page: a save that navigates away leaves its warnings for the page it opens.
let pending = null;

/** Keeps { kind, title, lines } for the next page that takes it. */
export function flash(kind, title, lines) {
  pending = { kind, title, lines };
}

/** The pending notice, once; null when there is none. */
export function takeFlash() {
  const taken = pending;
  pending = null;
  return taken;
}
