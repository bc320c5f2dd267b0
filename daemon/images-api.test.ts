import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImageStore } from '../worker/images/store.ts';
import { imagesPlugin } from './images-api.ts';

const dir = mkdtempSync(join(tmpdir(), 'shoal-images-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('POST /shoal/images/import', () => {
  it('checks the name as Docker spells image names, before reading any body', async () => {
    const app = Fastify();
    await app.register(imagesPlugin(new ImageStore(dir)));
    const post = (name: string) =>
      app.inject({ method: 'POST', url: `/shoal/images/import?name=${encodeURIComponent(name)}` });
    for (const bad of ['', 'Busybox', 'a:b:c', 'app:', 'bad tag:x y']) {
      const r = await post(bad);
      expect(r.statusCode, bad).toBe(400);
      expect(r.json<{ message: string }>().message, bad).toMatch(/^invalid image name /);
    }
    // good names pass the check and fail only for the missing tarball
    for (const good of ['busybox', 'app:1.0', 'localhost:5000/team/app:v2', 'docker.io/library/busybox']) {
      const r = await post(good);
      expect(r.statusCode, good).toBe(400);
      expect(r.json<{ message: string }>().message, good).toMatch(/tarball/);
    }
    await app.close();
  });
});
