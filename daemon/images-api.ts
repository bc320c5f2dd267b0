/**
 * Shoal's own endpoints for the embedded process engine's images (Docker has no equivalent: its
 * images come from registries). `POST /shoal/images/import?name=NAME[&changes=CMD ...]` with a tarball
 * body (a root filesystem or a `docker save` archive; `changes` as `docker import --change`), and
 * `GET /shoal/images`.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { normaliseImageName } from '../worker/images/names.ts';
import type { ImageStore } from '../worker/images/store.ts';

export function imagesPlugin(images: ImageStore | undefined): FastifyPluginAsync {
  return (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser(['application/x-tar', 'application/octet-stream'], (_req, payload, done) =>
      done(null, payload),
    );
    const unavailable = (reply: { code: (n: number) => { send: (b: unknown) => unknown } }): unknown =>
      reply
        .code(501)
        .send({ message: 'images are imported only on the process engine (shoald --engine process)' });

    app.post('/shoal/images/import', async (req, reply) => {
      if (!images) return unavailable(reply);
      const q = req.query as Record<string, string | string[] | undefined>;
      const name = typeof q['name'] === 'string' ? q['name'] : '';
      try {
        normaliseImageName(name);
      } catch (err) {
        return reply.code(400).send({ message: `${(err as Error).message} (use e.g. busybox or app:1.0)` });
      }
      const given = q['changes'];
      const changes = given === undefined ? [] : Array.isArray(given) ? given : [given];
      const body = req.body as NodeJS.ReadableStream | undefined;
      if (!body || typeof body.pipe !== 'function')
        return reply
          .code(400)
          .send({ message: 'the request body must be a tarball (Content-Type: application/x-tar)' });
      const dir = await mkdtemp(join(tmpdir(), 'shoal-import-'));
      try {
        const file = join(dir, 'image.tar');
        await pipeline(body, createWriteStream(file));
        const ref = await images.import(name, file, { changes });
        return reply.code(200).send({ Name: ref });
      } catch (err) {
        return reply.code(400).send({ message: `image import failed: ${(err as Error).message}` });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    app.get('/shoal/images', async (_req, reply) => {
      if (!images) return unavailable(reply);
      const list = await images.list();
      return reply.send(list.map((i) => ({ Name: i.name, CreatedAt: i.importedAt.toISOString() })));
    });
    return Promise.resolve();
  };
}
