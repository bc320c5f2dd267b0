/**
 * RFC3339 times as Docker writes them (Go's RFC3339Nano: fraction without trailing zeros, `Z` for UTC)
 * ↔ google.protobuf.Timestamp. Go's zero time, `0001-01-01T00:00:00Z`, means "not set".
 */
export interface TimestampValue {
  seconds: number;
  nanos: number;
}

export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC3339 time; undefined when `s` is not one. */
export function parseRfc3339(s: string): TimestampValue | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, , sign, oh, om] = m;
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(sec), 0);
  if (Number.isNaN(date.getTime())) return undefined;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 3600 + Number(om) * 60) : 0;
  return { seconds: date.getTime() / 1000 - offset, nanos: Number((frac ?? '').padEnd(9, '0')) };
}

/** Writes a timestamp as Go's RFC3339Nano in UTC. */
export function formatRfc3339(t: TimestampValue): string {
  const date = new Date(t.seconds * 1000);
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const base = `${year}-${date.toISOString().slice(5, 19)}`;
  const frac = t.nanos > 0 ? `.${String(t.nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${base}${frac}Z`;
}

/** The timestamp of a JavaScript time in milliseconds (for stamping objects). */
export function timestampFromMs(ms: number): TimestampValue {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}
