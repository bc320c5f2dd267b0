/**
 * Reads the request bodies out of the docker CLI traces in ../shared/reference (for tests): each
 * `METHOD /vX.Y/path -> status` line followed by `   body: {...}`.
 */
import { readFileSync } from 'node:fs';

export interface TracedRequest {
  readonly file: string;
  readonly method: string;
  /** The path without the version prefix and query, with IDs replaced by `{id}`. */
  readonly route: string;
  readonly body: unknown;
}

export function tracedRequests(file: string): TracedRequest[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: TracedRequest[] = [];
  lines.forEach((line, i) => {
    const body = /^\s+body: (.*)$/.exec(line);
    if (!body) return;
    const request = /^(GET|POST|PUT|DELETE|HEAD) (\S+)/.exec(lines[i - 1] ?? '');
    if (!request) throw new Error(`${file}:${i + 1}: body without a request line above it`);
    const path = (request[2] ?? '').split('?')[0] ?? '';
    const route = path.replace(/^\/v\d+\.\d+/, '').replace(/\/[0-9a-z]{25}(?=\/|$)/g, '/{id}');
    out.push({ file, method: request[1] ?? '', route, body: JSON.parse(body[1] ?? 'null') as unknown });
  });
  return out;
}
