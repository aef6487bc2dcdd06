// A campaign's timing (api.md, "Timing"): its send window and its validity, as the console reads and writes them.

/** The API's weekday names in week order, with the labels the console shows. */
export const weekdays = [
  ['mon', 'Mon'], ['tue', 'Tue'], ['wed', 'Wed'], ['thu', 'Thu'], ['fri', 'Fri'], ['sat', 'Sat'], ['sun', 'Sun'],
];

/** The units a validity is entered in, largest last, with their length in seconds. */
export const validityUnits = [
  { unit: 'minutes', seconds: 60, iso: (n) => `PT${n}M` },
  { unit: 'hours', seconds: 3600, iso: (n) => `PT${n}H` },
  { unit: 'days', seconds: 86400, iso: (n) => `P${n}D` },
  { unit: 'weeks', seconds: 604800, iso: (n) => `P${n}W` },
];
const secondsUnit = { unit: 'seconds', seconds: 1, iso: (n) => `PT${n}S` };

const durationPattern = /^P(?:(\d+)W|(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?)$/;

/** An ISO 8601 duration of weeks, days, hours, minutes and seconds (what the API answers) in seconds; null otherwise. */
export function durationSeconds(iso) {
  const match = iso ? durationPattern.exec(iso) : null;
  if (!match) return null;
  const [w, d, hours, m, s] = match.slice(1).map((part) => Number(part ?? 0));
  return w * 604800 + d * 86400 + hours * 3600 + m * 60 + s;
}

/** A number and a unit as an ISO 8601 duration: (6, 'hours') → PT6H. */
export function toDuration(amount, unit) {
  return [...validityUnits, secondsUnit].find((u) => u.unit === unit).iso(amount);
}

/** An ISO 8601 duration as the number and the largest unit that measure it exactly: PT36H → { 36, hours }, P2D → { 2, days }. */
export function toAmount(iso) {
  const seconds = durationSeconds(iso);
  if (!seconds) return null;
  const fit = [...validityUnits].reverse().find((u) => seconds % u.seconds === 0) ?? secondsUnit;
  return { amount: seconds / fit.seconds, unit: fit.unit };
}

/** An ISO 8601 duration in words: P1DT12H → "1 day 12 hours"; text the console cannot read as it is. */
export function durationLabel(iso) {
  let seconds = durationSeconds(iso);
  if (seconds === null) return iso;
  const words = [];
  for (const [name, length] of [['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]]) {
    const count = Math.floor(seconds / length);
    seconds -= count * length;
    if (count) words.push(`${count} ${name}${count === 1 ? '' : 's'}`);
  }
  return words.join(' ') || '0 seconds';
}

/** The days a window opens on: "Mon–Fri", "Mon, Wed, Fri", "every day". */
export function daysLabel(days) {
  if (!days || days.length === weekdays.length) return 'every day';
  const picked = weekdays.map(([day]) => days.includes(day));
  const runs = [];
  for (let i = 0; i < weekdays.length; i++) {
    if (!picked[i]) continue;
    let end = i;
    while (end + 1 < weekdays.length && picked[end + 1]) end++;
    // Three days or more in a row read as a range; two as a list.
    runs.push(end - i >= 2 ? `${weekdays[i][1]}–${weekdays[end][1]}` : weekdays.slice(i, end + 1).map(([, label]) => label).join(', '));
    i = end;
  }
  return runs.join(', ');
}

/** A send window in words: "08:00–20:00, Mon–Fri"; null (no window) is any time. */
export function windowLabel(window) {
  return window ? `${window.start}–${window.end}, ${daysLabel(window.days)}` : 'Any time';
}
