/**
 * What every plugin of the API shares: Docker's JSON replies and error bodies, the 503s of a node that
 * cannot serve the control API, query parsing (filters, booleans, versions).
 */
import type { FastifyReply } from 'fastify';
import type { ListFilters } from '../../proto/gen/shoal/api/ListFilters.ts';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  ShoalError,
  UnavailableError,
} from '../../proto/shared/errors.ts';
import type { ControlService } from '../../manager/controlapi/rpc.ts';
import type { DaemonBackend } from '../backend.ts';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../../proto/version.ts';

/** The headers of every response, streams included. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Api-Version': DOCKER_API_VERSION,
  Ostype: 'linux',
  Server: `Shoal/${SHOAL_VERSION} (linux)`,
};

export { LOCKED, NOT_A_MANAGER, OUT_OF_SEQUENCE, WORKER_NODE } from '../messages.ts';
import { LOCKED, NOT_A_MANAGER, OUT_OF_SEQUENCE, WORKER_NODE } from '../messages.ts';

/**
 * Sends `body` as JSON with Content-Type exactly `application/json` (a charset suffix makes the
 * docker CLI print error bodies raw) and a Content-Length (the payload is a string).
 */
export function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .send(body === undefined ? '' : JSON.stringify(body));
}

/** An HTTP status and Docker's `{"message"}` for any thrown value. */
export function errorBody(err: unknown): { status: number; message: string } {
  if (err instanceof ShoalError) {
    if (err instanceof FailedPreconditionError && err.message === 'update out of sequence')
      return { status: 500, message: OUT_OF_SEQUENCE };
    if (err instanceof AlreadyExistsError)
      return { status: 409, message: `rpc error: code = AlreadyExists desc = ${err.message}` };
    // Swarmkit's preconditions reach Docker users wrapped in the gRPC status; the rollback check
    // is the daemon's own and is not.
    if (err instanceof FailedPreconditionError && !err.message.endsWith('does not have a previous spec'))
      return { status: 400, message: `rpc error: code = FailedPrecondition desc = ${err.message}` };
    return { status: err.httpStatus, message: err.message };
  }
  const e = err as { statusCode?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(err);
  // fastify's own failures (bad body, body too large, bad content type) carry a 4xx status.
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
    return { status: e.statusCode, message };
  return { status: 500, message };
}

/** Replies with the error as Docker would. */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, message } = errorBody(err);
  return json(reply, status, { message });
}

/**
 * The control API, or the 503 Docker gives on a node that cannot serve it (inactive, worker, locked).
 */
export function controlOf(backend: DaemonBackend): ControlService {
  const control = backend.control();
  if (control) return control;
  const s = backend.swarm();
  if (s.localNodeState === 'locked') throw new UnavailableError(LOCKED);
  if (s.localNodeState === 'active' && !s.controlAvailable) throw new UnavailableError(WORKER_NODE);
  if (s.localNodeState === 'active') throw new UnavailableError('the control API is not available yet');
  throw new UnavailableError(NOT_A_MANAGER);
}

/** The query string as fastify parsed it (a repeated key gives an array: the last one wins). */
export type Query = Readonly<Record<string, string | string[] | undefined>>;

/** One query parameter as a string. */
export function param(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** A Docker boolean query parameter: `1`, `true`, `True` are true; absent, `0`, `false` are false. */
export function flag(q: Query, key: string): boolean {
  const v = param(q, key)?.toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/** `?version=N` of an update; 400 when missing or not a decimal integer (as Go's ParseUint). */
export function versionParam(q: Query): { index: number } {
  const v = param(q, 'version');
  const index = Number(v);
  if (v === undefined || !/^\d{1,16}$/.test(v) || !Number.isSafeInteger(index))
    throw new InvalidArgumentError(`invalid version: ${JSON.stringify(v ?? '')}`, 'version');
  return { index };
}

/** The deepest nesting of brackets and braces in JSON text (outside strings), without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/** Docker's filters, key → values (`{"k":{"v":true}}` and `{"k":["v"]}` both accepted). */
export type Filters = ReadonlyMap<string, readonly string[]>;

/** Parses `?filters=`; 400 naming the problem on bad JSON or a bad shape. */
export function parseFilters(q: Query): Filters {
  const raw = param(q, 'filters');
  const out = new Map<string, string[]>();
  if (raw === undefined || raw.trim() === '') return out;
  let parsed: unknown;
  const depth = jsonDepth(raw);
  // A filter is two levels deep ({"key":{"value":true}}); deeper ones would only overflow the stack.
  if (depth > 2)
    throw new InvalidArgumentError(`invalid filter: nested ${depth} levels deep, at most 2`, 'filters');
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new InvalidArgumentError(`invalid filter: ${(err as Error).message}`, 'filters');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidArgumentError(`invalid filter: want a JSON object, got ${raw}`, 'filters');
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out.set(key, value);
    else if (
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((on) => typeof on === 'boolean')
    )
      // Docker's map[string]map[string]bool: only the values set to true count.
      out.set(
        key,
        Object.entries(value as Record<string, boolean>)
          .filter(([, on]) => on)
          .map(([v]) => v),
      );
    else
      throw new InvalidArgumentError(
        `invalid filter '${key}': ${JSON.stringify(value)} (want {"value":true,...} or ["value",...])`,
        'filters',
      );
  }
  return out;
}

/** Rejects a filter key outside `accepted` (Docker: 400 "invalid filter 'x'"). */
export function onlyFilters(filters: Filters, accepted: readonly string[]): void {
  for (const k of filters.keys())
    if (!accepted.includes(k)) throw new InvalidArgumentError(`invalid filter '${k}'`, 'filters');
}

/** The control API's ListFilters for Docker's filters (the control API checks the keys). */
export function listFilters(filters: Filters): ListFilters {
  // No prototype: a key such as "__proto__" stays a key (and is refused by name) instead of vanishing.
  const out = Object.create(null) as Record<string, { values: string[] }>;
  for (const [k, values] of filters) out[k] = { values: [...values] };
  return { filters: out };
}

/** A request body that must be a JSON object; 400 otherwise. */
export function objectBody(body: unknown, what: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidArgumentError(`${what}: the request body must be a JSON object`, 'body');
  return body as Record<string, unknown>;
}

/** `params.id` of a route with `:id`. */
export function idParam(params: unknown): string {
  return (params as { id?: string }).id ?? '';
}

/** `v`, or NotFound for `what` (the control API always fills its answers; this keeps the types honest). */
export function present<T>(v: T | null | undefined, what: string): T {
  if (v === null || v === undefined) throw new NotFoundError(`${what} not found`);
  return v;
}
