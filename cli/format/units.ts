/** Sizes and IDs as docker prints them. */

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** go-units `BytesSize`: `%.4g` in binary units, e.g. 8000000000 → "7.451GiB". */
export function bytesSize(bytes: number): string {
  let size = bytes;
  let i = 0;
  while (size >= 1024 && i < BINARY.length - 1) {
    size /= 1024;
    i++;
  }
  return `${formatG4(size)}${BINARY[i]}`;
}

/** Go's `%.4g` for the magnitudes sizes take (below 10000). */
export function formatG4(n: number): string {
  return String(Number(n.toPrecision(4)));
}

/** Docker's `stringid.TruncateID`: the first 12 characters. */
export function truncateId(id: string): string {
  return id.slice(0, 12);
}

/** CPUs as docker prints them from nanoCPUs: 4e9 → "4", 5e8 → "0.5". */
export function cpus(nanoCpus: number): string {
  return String(nanoCpus / 1e9);
}
