/**
 * The Docker-Engine-compatible HTTP API of shoald, as fastify plugins (one per resource). Every path
 * answers unversioned and under `/v1.24` … `/v1.47`; other versions get Docker's 400. Every response
 * carries `Api-Version`, `Ostype` and `Server`; errors are `{"message": …}` as application/json.
 */
import { chmod, mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { ShoalError } from '../../proto/shared/errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { DOCKER_API_VERSION, SHOAL_VERSION } from '../../proto/version.ts';
import type { DaemonBackend } from '../backend.ts';
import { eventsPlugin } from './events.ts';
import { logsPlugin } from './logs.ts';
import { metricsPlugin } from './metrics.ts';
import { objectsPlugin } from './objects.ts';
import { json, sendError } from './reply.ts';
import { systemPlugin } from './system.ts';

export const MIN_API_VERSION = '1.24';
const MIN_MINOR = 24;
const MAX_MINOR = Number(DOCKER_API_VERSION.split('.')[1]);
const BAD_VERSION = '/__shoal_bad_version/';

export interface ApiOptions {
  readonly logger?: Logger;
  /** Extra plugins (shoald adds its image endpoints). */
  readonly plugins?: readonly FastifyPluginAsync[];
}

/** `/v1.41/services` → `/services`; an unsupported version → a route that answers Docker's 400. */
export function rewriteVersion(url: string): string {
  const m = /^\/v(\d+)\.(\d+)(\/.*)?$/.exec(url.split('?')[0] ?? '');
  if (!m) return url;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const rest = url.slice(`/v${m[1]}.${m[2]}`.length) || '/';
  if (major === 1 && minor >= MIN_MINOR && minor <= MAX_MINOR) return rest;
  return `${BAD_VERSION}${m[1]}.${m[2]}`;
}

export async function buildApi(backend: DaemonBackend, o: ApiOptions = {}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    ...(o.logger
      ? {
          loggerInstance: o.logger.child(
            { component: 'api' },
            { level: 'warn' },
          ) as unknown as FastifyBaseLogger,
        }
      : { logger: false }),
    exposeHeadRoutes: false,
    rewriteUrl: (req) => rewriteVersion(req.url ?? '/'),
    bodyLimit: 64 << 20,
    return503OnClosing: true,
  });
  // Docker clients send JSON bodies, sometimes empty, sometimes without a content type.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(Object.assign(new Error(`invalid JSON body: ${(err as Error).message}`), { statusCode: 400 }));
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('Api-Version', DOCKER_API_VERSION);
    reply.header('Ostype', 'linux');
    reply.header('Server', `Shoal/${SHOAL_VERSION} (linux)`);
    return payload;
  });
  app.setErrorHandler((err, _req, reply) => {
    // fastify's own errors (bad body, too large) carry a 4xx statusCode; ours carry a code.
    const status = (err as { statusCode?: unknown }).statusCode;
    if (!(err instanceof ShoalError) && typeof status === 'number' && status >= 400 && status < 500)
      return json(reply, status, { message: (err as Error).message });
    return sendError(reply, err);
  });
  app.setNotFoundHandler((req, reply) =>
    json(reply, 404, { message: `page not found: ${req.method} ${req.url}` }),
  );
  app.all(`${BAD_VERSION}:version`, (req, reply) => {
    const v = (req.params as { version: string }).version;
    const [major, minor] = v.split('.').map(Number);
    const old = (major ?? 0) < 1 || (major === 1 && (minor ?? 0) < MIN_MINOR);
    return json(reply, 400, {
      message: old
        ? `client version ${v} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`
        : `client version ${v} is too new. Maximum supported API version is ${DOCKER_API_VERSION}`,
    });
  });
  await app.register(systemPlugin(backend));
  await app.register(objectsPlugin(backend));
  await app.register(logsPlugin(backend));
  await app.register(eventsPlugin(backend));
  await app.register(metricsPlugin(backend));
  for (const p of o.plugins ?? []) await app.register(p);
  await app.ready();
  return app;
}

/** Listens on `unix:///path` (parent dir created, a stale socket replaced, mode 0660) or `tcp://host:port`. */
export async function listenOn(app: FastifyInstance, host: string): Promise<void> {
  if (host.startsWith('unix://')) {
    const path = host.slice('unix://'.length);
    await mkdir(dirname(path), { recursive: true });
    await rm(path, { force: true });
    await app.listen({ path });
    await chmod(path, 0o660);
    return;
  }
  const rest = host.slice('tcp://'.length);
  const i = rest.lastIndexOf(':');
  await app.listen({ host: rest.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(rest.slice(i + 1)) });
}
