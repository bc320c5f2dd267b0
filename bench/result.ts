/**
 * The benchmark convention: every benchmark ends with exactly one line
 * `RESULT <name> key=value key=value ...` carrying its figures (and, where an issue names a peer, the
 * peer's figures measured in the same run), so CI logs and closing notes can quote it verbatim.
 */
export type Figures = Readonly<Record<string, number | string>>;

const KEY = /^[a-z][a-z0-9_]*$/;

/** Formats the RESULT line. Numbers keep at most 3 decimals; keys are snake_case. */
export function formatResult(name: string, figures: Figures): string {
  const parts = Object.entries(figures).map(([k, v]) => {
    if (!KEY.test(k)) throw new Error(`benchmark figure name ${JSON.stringify(k)}: want snake_case`);
    const value = typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : v;
    if (/\s/.test(value) || value === '')
      throw new Error(`benchmark figure ${k}: value must be one word, got ${JSON.stringify(value)}`);
    return `${k}=${value}`;
  });
  return `RESULT ${name} ${parts.join(' ')}`;
}

/** Prints the RESULT line; call it last. */
export function printResult(name: string, figures: Figures): void {
  console.log(formatResult(name, figures));
}

/** Reads a RESULT line back (for the runner's check and for tests); undefined when `line` is not one. */
export function parseResult(line: string): { name: string; figures: Record<string, string> } | undefined {
  const m = /^RESULT ([a-z][a-z0-9-]*)((?: [a-z][a-z0-9_]*=\S+)*)$/.exec(line.trim());
  if (!m) return undefined;
  const figures = Object.fromEntries(
    (m[2] ?? '')
      .trim()
      .split(' ')
      .filter((p) => p !== '')
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
  return { name: m[1] ?? '', figures };
}

/** The p-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
