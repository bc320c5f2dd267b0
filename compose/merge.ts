/**
 * Merging canonical documents, later over earlier, by the Compose Specification's merge rules:
 * mappings merge recursively; `command`, `entrypoint` and `healthcheck.test` are replaced; ports,
 * volumes, secrets, configs and extra_hosts merge by key (a later entry with the same key replaces
 * the earlier one in place; new keys are appended); other sequences are appended without duplicates; scalars are replaced.
 */
import { COMPOSE_DEFAULTS } from './defaults.ts';
import { isDict, type Dict } from './syntax.ts';

/** Merges `override` over `base` (both canonical, see canonical.ts); neither is modified. */
export function mergeDocuments(base: Dict, override: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key === 'services' && isDict(value)) {
      const services: Dict = isDict(base['services']) ? { ...base['services'] } : {};
      for (const [name, svc] of Object.entries(value)) {
        const prev = services[name];
        services[name] = isDict(prev) && isDict(svc) ? mergeService(prev, svc) : svc;
      }
      out[key] = services;
    } else {
      out[key] = mergeValue(base[key], value);
    }
  }
  return out;
}

const REPLACED = new Set(['command', 'entrypoint']);

/** Merge keys of the sequences that merge by key. */
const KEYED: Readonly<Record<string, (entry: unknown) => string>> = {
  ports: (p) => {
    const d = isDict(p) ? p : {};
    return [
      d['host_ip'] ?? '',
      d['published'] ?? '',
      d['target'],
      d['protocol'] ?? COMPOSE_DEFAULTS.portProtocol,
    ]
      .map(String)
      .join('|');
  },
  volumes: (v) => String(isDict(v) ? v['target'] : v),
  secrets: (s) => (isDict(s) ? String(s['target'] ?? s['source']) : String(s)),
  configs: (c) => (isDict(c) ? String(c['target'] ?? c['source']) : String(c)),
  extra_hosts: (h) => String(h).split(':')[0] ?? '',
};

function mergeService(base: Dict, override: Dict): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const keyOf = KEYED[key];
    if (REPLACED.has(key)) out[key] = value;
    else if (keyOf && Array.isArray(value) && Array.isArray(base[key])) {
      out[key] = mergeKeyed(base[key], value, keyOf);
    } else if (key === 'healthcheck' && isDict(value) && isDict(base[key])) {
      out[key] = { ...base[key], ...value };
    } else out[key] = mergeValue(base[key], value);
  }
  return out;
}

function mergeKeyed(
  base: readonly unknown[],
  override: readonly unknown[],
  keyOf: (e: unknown) => string,
): unknown[] {
  const byKey = new Map<string, unknown>();
  for (const entry of base) byKey.set(keyOf(entry), entry);
  for (const entry of override) {
    byKey.set(keyOf(entry), entry);
  }
  return [...byKey.values()];
}

function mergeValue(base: unknown, override: unknown): unknown {
  if (override === null && isDict(base)) return base;
  if (isDict(base) && isDict(override)) {
    const out: Dict = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = mergeValue(base[k], v);
    return out;
  }
  if (Array.isArray(base) && Array.isArray(override)) {
    const [b, o]: [unknown[], unknown[]] = [base, override];
    const seen = new Set(b.map((e) => JSON.stringify(e)));
    return [...b, ...o.filter((e) => !seen.has(JSON.stringify(e)))];
  }
  return override;
}
