/**
 * The Docker-Engine-compatible HTTP API of shoald: one fastify plugin per resource over a
 * {@link DaemonBackend}. Every route answers unversioned and under `/v1.24` … `/v1.47`; other versions
 * get Docker's 400. Every response carries `Api-Version`, `Ostype`, `Server` and a Content-Length
 * (only the log and event streams are chunked); errors are `{"message"}` as `application/json`.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { ShoalError } from '../../proto/shared/errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { DOCKER_API_VERSION, DOCKER_MIN_API_VERSION } from '../../proto/version.ts';
import type { DaemonBackend } from '../backend.ts';
import { COMMON_HEADERS, json, sendError } from './common.ts';
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
  /** Largest request body in bytes (default 64 MiB). */
  readonly bodyLimitBytes?: number;
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

/**
 * Builds (and readies) the API over `backend`. The caller listens with {@link listenOn} and closes
 * the instance on shutdown (which also ends open event and log streams).
 */
export async function buildApi(backend: DaemonBackend, o: ApiOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...fastifyLogger(o),
    exposeHeadRoutes: false,
    rewriteUrl: (req) => rewriteVersion(req.url ?? '/'),
    bodyLimit: o.bodyLimitBytes ?? 64 << 20,
    return503OnClosing: true,
  });
  // Docker clients send JSON bodies, sometimes empty, sometimes as text/plain.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(
        Object.assign(new Error(`invalid JSON in the request body: ${(err as Error).message}`), {
          statusCode: 400,
        }),
      );
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(COMMON_HEADERS);
    // fastify appends "; charset=utf-8" to JSON; the docker CLI then prints error bodies raw.
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json'))
      reply.header('content-type', 'application/json');
    return payload;
  });
  app.setErrorHandler((err, req, reply) => {
    const body = sendError(reply, err);
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
