// The customers a send (or a retry) left out, each counted once: opted out, suppressed on the channel, capped.
import { num } from '../dom.js';

const customers = (n) => `${num(n)} customer${n === 1 ? '' : 's'}`;

/** The send answer's three skip counters as phrases, in the API's order; `always` keeps the zeros. */
export function skippedPhrases(result, { always = false } = {}) {
  const optedOut = result.skipped_opted_out ?? 0;
  const suppressed = result.skipped_suppressed ?? 0;
  const capped = result.skipped_frequency_capped ?? 0;
  return [
    (always || optedOut) && `${num(optedOut)} opted-out customer${optedOut === 1 ? '' : 's'} skipped`,
    (always || suppressed) && `${customers(suppressed)} suppressed on the channel skipped`,
    (always || capped) && `${customers(capped)} at their daily message limit skipped`,
  ].filter(Boolean);
}
