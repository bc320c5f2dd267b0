/**
 * Puts each service of one validated document into canonical (long) form, so that files merge by key
 * and the converter reads one shape: ports, volumes, secrets and configs as lists of objects;
 * environment, labels, sysctls and networks as mappings; extra_hosts as `host:ip` strings.
 */
import {
  extraHostsList,
  fileRefEntry,
  isDict,
  listOrDict,
  networksMap,
  portEntries,
  stringList,
  volumeEntry,
  type Dict,
} from './syntax.ts';

/** Context for resolving relative host paths in one file. */
export interface CanonicalContext {
  readonly file: string | undefined;
  /** Directory relative bind mounts and env_files resolve against (the first file's directory). */
  readonly workingDir: string;
  /** `$HOME`, for `~` in bind mounts. */
  readonly home: string | undefined;
}

/** Canonicalises every service of a document; other top-level sections are returned as they are. */
export function canonicalDocument(doc: Dict, ctx: CanonicalContext): Dict {
  const services = doc['services'];
  if (!isDict(services)) return doc;
  const out: Dict = {};
  for (const [name, svc] of Object.entries(services)) {
    out[name] = canonicalService(isDict(svc) ? svc : {}, `services.${name}`, ctx);
  }
  return { ...doc, services: out };
}

const MAP_KEYS: ReadonlyArray<[string, boolean]> = [
  ['environment', false],
  ['labels', true],
  ['sysctls', true],
  ['annotations', true],
];
const LIST_KEYS = ['dns', 'dns_search', 'tmpfs', 'cap_add', 'cap_drop'] as const;

function canonicalService(svc: Dict, path: string, ctx: CanonicalContext): Dict {
  const out: Dict = { ...svc };
  const at = (key: string, i: number) => ({ file: ctx.file, path: `${path}.${key}.${i}` });
  if (Array.isArray(svc['ports']))
    out['ports'] = svc['ports'].flatMap((p, i) => portEntries(p, at('ports', i)));
  if (Array.isArray(svc['volumes'])) {
    out['volumes'] = svc['volumes'].map((v, i) => volumeEntry(v, at('volumes', i), ctx.workingDir, ctx.home));
  }
  if (Array.isArray(svc['secrets'])) out['secrets'] = svc['secrets'].map(fileRefEntry);
  if (Array.isArray(svc['configs'])) out['configs'] = svc['configs'].map(fileRefEntry);
  for (const [key, nullAsEmpty] of MAP_KEYS) {
    if (svc[key] !== undefined) out[key] = listOrDict(svc[key], nullAsEmpty);
  }
  for (const key of LIST_KEYS) if (svc[key] !== undefined) out[key] = stringList(svc[key]);
  if (svc['networks'] !== undefined) out['networks'] = networksMap(svc['networks']);
  if (svc['extra_hosts'] !== undefined) out['extra_hosts'] = extraHostsList(svc['extra_hosts']);
  if (svc['env_file'] !== undefined) {
    const files = Array.isArray(svc['env_file']) ? svc['env_file'] : [svc['env_file']];
    out['env_file'] = files.map((f) => (isDict(f) ? f : { path: String(f) }));
  }
  const deploy = svc['deploy'];
  if (isDict(deploy) && deploy['labels'] !== undefined) {
    out['deploy'] = { ...deploy, labels: listOrDict(deploy['labels'], true) };
  }
  return out;
}
