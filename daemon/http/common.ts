/**
 * What every resource plugin shares: the control API or Docker's 503 for why there is none, query
 * parsing (filters, booleans, versions) and body conversion with field-naming errors.
 */
import { LockedError } from '../../ca/errors.ts';
import type { ControlService } from '../../manager/controlapi/rpc.ts';
import { fromDockerAs, type DockerKind, type DockerKinds } from '../../proto/docker/kinds.ts';
import type { ListFilters } from '../../proto/gen/shoal/api/ListFilters.ts';
import { UnavailableError } from '../../proto/shared/errors.ts';
import type { DaemonBackend } from '../backend.ts';
import { HttpError } from './reply.ts';

export const NOT_IN_SWARM_503 =
  'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.';
export const WORKER_503 =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";

/** The control API, or the 503 Docker gives for why this node cannot answer manager calls. */
export function controlOf(backend: DaemonBackend): ControlService {
  const c = backend.control();
  if (c) return c;
  const s = backend.swarm();
  switch (s.localNodeState) {
    case 'locked':
      throw new LockedError();
    case 'active':
      throw new UnavailableError(WORKER_503);
    case 'pending':
    case 'error':
    case 'inactive':
      throw new UnavailableError(NOT_IN_SWARM_503);
  }
}

export type Query = Record<string, string | string[] | undefined>;

/** One query value (the last, when repeated). */
export function q(query: unknown, key: string): string | undefined {
  const v = (query as Query)[key];
  return Array.isArray(v) ? v.at(-1) : v;
}

/** Docker's booleans: 1/true/True and 0/false/False; anything else is a 400 naming the key. */
export function bool(query: unknown, key: string): boolean {
  const v = q(query, key);
  if (v === undefined || v === '') return false;
  if (['1', 'true', 'True', 'TRUE'].includes(v)) return true;
  if (['0', 'false', 'False', 'FALSE'].includes(v)) return false;
  throw new HttpError(400, `invalid value for ${key}: ${JSON.stringify(v)} is not a boolean`);
}

/** `?version=N` of updates: required, a non-negative integer. */
export function version(query: unknown): { index: number } {
  const v = q(query, 'version');
  if (v === undefined || !/^\d+$/.test(v))
    throw new HttpError(
      400,
      `invalid version ${JSON.stringify(v ?? '')}: an update needs ?version=<index of the object read>`,
    );
  return { index: Number(v) };
}

/**
 * `filters={"key":{"value":true}}` (or `{"key":["value"]}`, as older clients send) as ListFilters.
 * Bad JSON is a 400; unknown keys are refused by the control API, naming the key.
 */
export function filters(query: unknown): ListFilters {
  const raw = q(query, 'filters');
  if (raw === undefined || raw === '') return { filters: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new HttpError(400, `invalid filter: ${raw} is not JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new HttpError(400, `invalid filter: ${raw} is not a JSON object`);
  const out: Record<string, { values: string[] }> = {};
  for (const [key, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[key] = { values: v as string[] };
    else if (v !== null && typeof v === 'object' && !Array.isArray(v))
      out[key] = {
        values: Object.entries(v as Record<string, unknown>)
          .filter(([, b]) => b === true)
          .map(([k]) => k),
      };
    else throw new HttpError(400, `invalid filter '${key}': want {"${key}":{"value":true}}`);
  }
  return { filters: out };
}

/** Reads a JSON body as a proto message; a missing or non-object body is a 400. */
export function body<K extends DockerKind>(kind: K, b: unknown): DockerKinds[K] {
  if (b === undefined || b === null) throw new HttpError(400, `the request needs a JSON body (${kind})`);
  if (typeof b !== 'object' || Array.isArray(b))
    throw new HttpError(400, `the request body must be a JSON object (${kind})`);
  return fromDockerAs(kind, b);
}

/** Parses a path/query ID argument that must be present. */
export function param(params: unknown, key: string): string {
  const v = (params as Record<string, string | undefined>)[key] ?? '';
  if (v === '') throw new HttpError(400, `missing ${key}`);
  return decodeURIComponent(v);
}
