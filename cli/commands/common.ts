/** Helpers shared by the command groups: repeatable options, filters, lookups by name or ID. */
import { encodeFilters } from '../http.ts';
import { parseFilters } from '../flags.ts';

/** Commander collector for repeatable options (`--label a --label b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `--filter` items as the `filters` query value (undefined when none). */
export function filtersQuery(items: readonly string[] | undefined): string | undefined {
  return encodeFilters(parseFilters(items ?? []));
}

/** A one-key filter query value, e.g. `{"service":{"<id>":true}}`. */
export function filter(key: string, ...values: string[]): string {
  return encodeFilters(new Map([[key, values]])) ?? '{}';
}

/** URL path segment for a name or ID typed by the user. */
export function seg(s: string): string {
  return encodeURIComponent(s);
}

/** Options every list command shares. */
export interface ListOpts {
  readonly quiet?: boolean;
  readonly format?: string;
  readonly filter?: string[];
}
