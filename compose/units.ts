/**
 * Unit parsing as docker's compose loader does it: Go durations to nanoseconds, docker's RAM sizes to
 * bytes (binary multiples), CPU counts to nano-CPUs. Each returns `undefined` for malformed input; the
 * caller turns that into a ComposeValueError naming the field.
 */

const DURATION_UNITS_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Go's `time.ParseDuration` (`"1m30s"`, `"1.5h"`, `"100ms"`, `"0"`) in nanoseconds. A number is taken
 * as seconds, as the Compose Specification's loaders do for bare integers.
 */
export function parseDurationNs(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1e9) : undefined;
  let s = value.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  let total = 0;
  while (s !== '') {
    const m = part.exec(s);
    if (!m) return undefined;
    const unit = DURATION_UNITS_NS[m[2] ?? ''];
    if (unit === undefined) return undefined;
    total += Number(m[1]) * unit;
    s = s.slice(m[0].length);
  }
  return sign * Math.round(total);
}

const RAM_MULTIPLIERS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

/**
 * docker's `units.RAMInBytes`: `"256M"`, `"1g"`, `"64mb"`, `"1.5GiB"`, `"1024"` → bytes with binary
 * multiples. Numbers are bytes already.
 */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const m = /^(\d+(?:\.\d+)?) ?([kmgtp])?(?:i?b)?$/i.exec(value.trim());
  if (!m) return undefined;
  const mult = RAM_MULTIPLIERS[(m[2] ?? '').toLowerCase()];
  if (mult === undefined) return undefined;
  return Math.trunc(Number(m[1]) * mult);
}

/**
 * docker's `opts.ParseCPUs`: a decimal CPU count to nano-CPUs (`"0.5"` → 500000000), exactly, with
 * no more than 9 fractional digits.
 */
export function parseNanoCpus(value: string | number): number | undefined {
  const s = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || s === '' || s === '.') return undefined;
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 9) return undefined;
  const whole = Number(m[1] === '' ? '0' : m[1]);
  return whole * 1e9 + Number(fraction.padEnd(9, '0'));
}
