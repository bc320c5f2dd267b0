/**
 * The Docker-Engine-compatible HTTP API of shoald: one fastify plugin per resource over a
 * {@link DaemonBackend}. Every route answers unversioned and under `/v1.24` … `/v1.47`; other versions
 * get Docker's 400. Every response carries `Api-Version`, `Ostype`, `Server` and a Content-Length
 * (only the log and event streams are chunked); errors are `{"message"}` as `application/json`.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { ShoalError } from '../../proto/shared/errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { DOCKER_API_VERSION, DOCKER_MIN_API_VERSION } from '../../proto/version.ts';
import type { DaemonBackend } from '../backend.ts';
import { COMMON_HEADERS, json, jsonDepth, sendError } from './common.ts';
import { eventsPlugin } from './events.ts';
import { logsPlugin } from './logs.ts';
import { metricsPlugin } from './metrics.ts';
import { nodesPlugin } from './nodes.ts';
import { configsPlugin, secretsPlugin } from './data.ts';
import { networksPlugin } from './networks.ts';
import { servicesPlugin } from './services.ts';
import { swarmPlugin } from './swarm.ts';
import { systemPlugin } from './system.ts';
import { tasksPlugin } from './tasks.ts';

/** How shoald builds its API. */
export interface ApiOptions {
  /** Where request failures are logged (default: nowhere). */
  readonly logger?: Logger;
  /** Extra plugins registered after the Docker API's (shoald adds its image endpoints). */
  readonly plugins?: readonly FastifyPluginAsync[];
  /** Largest JSON request body in bytes (default {@link DEFAULT_BODY_LIMIT_BYTES}). */
  readonly bodyLimitBytes?: number;
}

/**
 * The largest JSON body the API reads: 4 MiB, swarmkit's gRPC message limit (`GRPCMaxMsgSize`), which
 * is also the most a follower can forward to the leader. Nothing legitimate comes close: a spec may
 * weigh at most 1.5 MiB (controlapi's MAX_SPEC_BYTES) and secret data under 500 KiB (base64: 667 KiB).
 * Streamed bodies (image tarballs) are not JSON and are not bound by it.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** How much of an oversized body is read and dropped so that the client sees the 413 (see `drained`). */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 10_000;

/**
 * Reads and drops what is left of a request body, up to DRAIN_MAX_BYTES or DRAIN_MAX_MS. Answering
 * a too-large body before it is read and then closing the connection makes a client that is still
 * writing fail with EPIPE and lose the answer (Node's client does; so does a Go client without
 * `Expect: 100-continue`): it should see the 413 and its message.
 */
function drained(raw: IncomingMessage): Promise<void> {
  if (raw.complete || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let bytes = 0;
    const done = (): void => {
      clearTimeout(timer);
      raw.off('data', onData);
      raw.off('end', done);
      raw.off('close', done);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > DRAIN_MAX_BYTES) done();
    };
    const timer = setTimeout(done, DRAIN_MAX_MS);
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('close', done);
    raw.resume();
  });
}

const MIN_MINOR = Number(DOCKER_MIN_API_VERSION.split('.')[1]);
const MAX_MINOR = Number(DOCKER_API_VERSION.split('.')[1]);
/** Where an unsupported `/vX.Y` is routed, to answer Docker's 400. */
const BAD_VERSION = '/__shoal_bad_api_version/';

/** `/v1.41/services?x` → `/services?x`; an unsupported version → the route that answers 400. */
export function rewriteVersion(url: string): string {
  const m = /^\/v(\d+)\.(\d+)(?=\/|\?|$)/.exec(url);
  if (!m) return url;
  const rest = url.slice(m[0].length);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  if (major === 1 && minor >= MIN_MINOR && minor <= MAX_MINOR)
    return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
  return `${BAD_VERSION}${m[1]}.${m[2]}`;
}

/** Docker's message for a `/vX.Y` it does not serve. */
export function badVersionMessage(version: string): string {
  const [major, minor] = version.split('.').map(Number);
  const old = (major ?? 0) < 1 || (major === 1 && (minor ?? 0) < MIN_MINOR);
  return old
    ? `client version ${version} is too old. Minimum supported API version is ${DOCKER_MIN_API_VERSION}, please upgrade your client to a newer version`
    : `client version ${version} is too new. Maximum supported API version is ${DOCKER_API_VERSION}`;
}

function fastifyLogger(o: ApiOptions): { loggerInstance: FastifyBaseLogger } | { logger: false } {
  if (!o.logger) return { logger: false };
  // fastify logs every request at info; the daemon's log wants only failures (warn and up).
  return {
    loggerInstance: o.logger.child({ component: 'api' }, { level: 'warn' }) as unknown as FastifyBaseLogger,
  };
}

/** How deeply a request body (or a `filters` value) may nest; Docker's deepest spec is about a dozen. */
export const MAX_JSON_DEPTH = 64;

/** A 400 raised while reading the request itself (fastify sends `statusCode`). */
function badRequest(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400 });
}

/**
 * A request body as JSON: strict UTF-8 (Go would swap bad bytes for U+FFFD and store them in names),
 * at most {@link MAX_JSON_DEPTH} levels deep (deeper values overflow the stack of whatever walks them
 * next). Empty → undefined.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body).trim();
  } catch {
    throw badRequest('invalid JSON in the request body: it is not valid UTF-8');
  }
  if (text === '') return undefined;
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH)
    throw badRequest(
      `invalid JSON in the request body: nested ${depth} levels deep, at most ${MAX_JSON_DEPTH} are accepted`,
    );
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`invalid JSON in the request body: ${(err as Error).message}`);
  }
}

/** fastify's own request errors, reworded to say what was wrong and what is accepted. */
function explained(err: unknown, contentType: string | undefined, bodyLimit: number): unknown {
  const code = (err as { code?: unknown }).code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return Object.assign(
      new Error(
        `request body too large: at most ${bodyLimit} bytes (${bodyLimit / 1024 / 1024} MiB) are accepted`,
      ),
      { statusCode: 413 },
    );
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return Object.assign(
      new Error(
        `unsupported Content-Type ${JSON.stringify(contentType ?? '')}: send the request body as application/json`,
      ),
      { statusCode: 415 },
    );
  return err;
}

/**
 * Builds (and readies) the API over `backend`. The caller listens with {@link listenOn} and closes
 * the instance on shutdown (which also ends open event and log streams).
 */
export async function buildApi(backend: DaemonBackend, o: ApiOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...fastifyLogger(o),
    exposeHeadRoutes: false,
    rewriteUrl: (req) => rewriteVersion(req.url ?? '/'),
    bodyLimit: o.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    return503OnClosing: true,
  });
  // Docker clients send JSON bodies, sometimes empty, sometimes as text/plain.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error);
    }
  });
  // Node answers an unknown `Expect:` with a bare 417; say what was wrong, as every other error does.
  app.server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify({
      message: `unsupported Expect header ${JSON.stringify(req.headers.expect ?? '')}: only 100-continue is understood`,
    });
    res.writeHead(417, {
      ...COMMON_HEADERS,
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      Connection: 'close',
    });
    res.end(body);
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(COMMON_HEADERS);
    // fastify appends "; charset=utf-8" to JSON; the docker CLI then prints error bodies raw.
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json'))
      reply.header('content-type', 'application/json');
    return payload;
  });
  const bodyLimit = o.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  app.setErrorHandler(async (err, req, reply) => {
    if ((err as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      await drained(req.raw);
      reply.header('connection', 'close');
    }
    const body = sendError(reply, explained(err, req.headers['content-type'], bodyLimit));
    // Only the unexpected is logged: ShoalErrors are the user's answer, not the daemon's trouble.
    const unexpected = !(err instanceof ShoalError) || err.code === 'Internal';
    if (unexpected && reply.statusCode >= 500) req.log.warn({ err, url: req.url }, 'API request failed');
    return body;
  });
  app.setNotFoundHandler((_req, reply) => json(reply, 404, { message: 'page not found' }));
  app.all(`${BAD_VERSION}:version`, (req, reply) =>
    json(reply, 400, { message: badVersionMessage((req.params as { version: string }).version) }),
  );
  for (const plugin of [
    systemPlugin,
    swarmPlugin,
    nodesPlugin,
    servicesPlugin,
    tasksPlugin,
    secretsPlugin,
    configsPlugin,
    networksPlugin,
    logsPlugin,
    eventsPlugin,
    metricsPlugin,
  ])
    await app.register(plugin(backend));
  for (const p of o.plugins ?? []) await app.register(p);
  await app.ready();
  return app;
}

/**
 * Listens on `unix:///path` (or a bare absolute path: parent directory created, a stale socket file
 * removed, mode 0660) or `tcp://host:port`. Resolves once listening.
 */
export async function listenOn(app: FastifyInstance, host: string): Promise<void> {
  if (host.startsWith('unix://') || host.startsWith('/')) {
    const path = host.startsWith('unix://') ? host.slice('unix://'.length) : host;
    await mkdir(dirname(path), { recursive: true });
    await rm(path, { force: true });
    await app.listen({ path });
    await chmod(path, 0o660);
    return;
  }
  const rest = host.replace(/^tcp:\/\//, '');
  const i = rest.lastIndexOf(':');
  const port = Number(rest.slice(i + 1));
  if (i < 0 || !Number.isInteger(port))
    throw new Error(`bad API address ${JSON.stringify(host)} (want unix:///path or tcp://host:port)`);
  await app.listen({ host: rest.slice(0, i).replace(/^\[|\]$/g, '') || '127.0.0.1', port });
}
