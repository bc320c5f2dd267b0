/**
 * Go's text/tabwriter as docker configures it (`NewWriter(out, 10, 1, 3, ' ', 0)`): cells end at a
 * tab, a column is as wide as its widest cell plus 3 (at least 10), text after a line's last tab is
 * not padded. Columns are computed per block of consecutive lines that have the cell, as Go does.
 */

/** Docker's tabwriter settings. */
export interface TabOptions {
  readonly minWidth: number;
  readonly padding: number;
}

const DOCKER: TabOptions = { minWidth: 10, padding: 3 };

/** Aligns tab-separated lines; the input and output end with a newline when non-empty. */
export function tabwrite(text: string, opts: TabOptions = DOCKER): string {
  if (text === '') return '';
  const trailing = text.endsWith('\n');
  const lines = (trailing ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const write = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i] ?? [];
      out.push(
        cells
          .map((c, j) => {
            const w = widths[j];
            return w === undefined || j === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, w - width(c)));
          })
          .join(''),
      );
    }
  };
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= (lines[i]?.length ?? 0) - 1) continue;
      write(start, i);
      start = i;
      let w = opts.minWidth;
      for (; i < line1; i++) {
        const cells = lines[i] ?? [];
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column] ?? '') + opts.padding);
      }
      widths.push(w);
      format(start, i);
      widths.pop();
      start = i;
      i--;
    }
    write(start, line1);
  };
  format(0, lines.length);
  return out.join('\n') + (trailing ? '\n' : '');
}

/** Display width in code points, as tabwriter counts runes. */
function width(s: string): number {
  return [...s].length;
}

/** Builds a table from a header row and data rows, each an array of cells. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return tabwrite([header, ...rows].map((r) => r.join('\t') + '\n').join(''));
}
