/** Times as docker prints them: go-units `HumanDuration`, "N ago", and Go's RFC3339Nano. */

/** go-units `HumanDuration`: "Less than a second", "6 seconds", "About a minute", "3 days". */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / 3_600_000) / 24 / 365)} years`;
}

/** "Less than a second ago" for an RFC3339 timestamp, as `secret ls` prints CREATED. */
export function ago(timestamp: string | undefined, now: number): string {
  return `${humanDuration(now - parseTime(timestamp))} ago`;
}

/** Milliseconds since the epoch of an RFC3339 timestamp (nanoseconds dropped); 0 when absent. */
export function parseTime(timestamp: string | undefined): number {
  if (!timestamp) return 0;
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? 0 : t;
}

/** The task CURRENT STATE cell: "Running 6 seconds ago", "Running less than a second ago". */
export function taskState(state: string, timestamp: string | undefined, now: number): string {
  const pretty = state === '' ? '' : state[0]?.toUpperCase() + state.slice(1);
  return `${pretty} ${humanDuration(now - parseTime(timestamp)).toLowerCase()} ago`;
}

/**
 * Go's `time.Time.String()` in UTC as docker's `node inspect --pretty` shows "Joined at":
 * `2026-11-22 11:47:10.723482 +0000 utc` (fraction without trailing zeros; docker lower-cases).
 */
export function goTimeString(timestamp: string | undefined): string {
  if (!timestamp) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(timestamp);
  if (!m) return timestamp;
  const ms = parseTime(timestamp);
  const d = new Date(ms);
  const iso = d.toISOString();
  const date = iso.slice(0, 10);
  const clock = iso.slice(11, 19);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return `${date} ${clock}${frac ? `.${frac}` : ''} +0000 utc`;
}

/** The fixed-width RFC3339Nano docker's `events` prints: `2006-01-02T15:04:05.000000000Z`. */
export function rfc3339NanoFixed(timeNano: bigint): string {
  const ms = Number(timeNano / 1_000_000n);
  const iso = new Date(ms).toISOString().slice(0, 19);
  const frac = (timeNano % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso}.${frac}Z`;
}

/** Docker's pretty duration for inspect (`10s`, `1m30s`, `5s`): Go's `time.Duration.String()`. */
export function goDurationString(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let rest = Math.abs(ns);
  if (rest < 1e3) return `${neg ? '-' : ''}${rest}ns`;
  if (rest < 1e6) return `${neg ? '-' : ''}${trimFloat(rest / 1e3)}µs`;
  if (rest < 1e9) return `${neg ? '-' : ''}${trimFloat(rest / 1e6)}ms`;
  let out = '';
  const h = Math.trunc(rest / 3600e9);
  rest -= h * 3600e9;
  const m = Math.trunc(rest / 60e9);
  rest -= m * 60e9;
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  out += `${trimFloat(rest / 1e9)}s`;
  return (neg ? '-' : '') + out;
}

function trimFloat(n: number): string {
  return String(Number(n.toFixed(9)));
}
