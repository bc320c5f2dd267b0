import { mkdtempSync, rmSync, statSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config__Output } from '../../proto/gen/shoal/api/Config.ts';
import type { Secret__Output } from '../../proto/gen/shoal/api/Secret.ts';
import type { Task } from '../executor/types.ts';
import { SecretMounts } from './mounts.ts';

const root = process.getuid?.() === 0;
if (!root) console.warn('worker/secrets: tmpfs tests need root; skipped');

function task(id: string, secrets: { id: string; name: string; mode?: number; uid?: string }[]): Task {
  return {
    id,
    spec: {
      containerSpec: {
        secrets: secrets.map((s) => ({
          secretId: s.id,
          secretName: s.name,
          file: { name: s.name, uid: s.uid ?? '0', gid: '0', mode: s.mode ?? 0o444 },
        })),
        configs: [],
      },
    },
  } as unknown as Task;
}

const secret = (id: string, data: string): Secret__Output =>
  ({ id, spec: { name: id, data: Buffer.from(data) } }) as unknown as Secret__Output;

describe.skipIf(!root)('SecretMounts', () => {
  const dirs: string[] = [];
  const made: SecretMounts[] = [];
  const fresh = (): { m: SecretMounts; dir: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'shoal-secrets-'));
    dirs.push(dir);
    const m = new SecretMounts({ root: dir });
    made.push(m);
    return { m, dir };
  };
  afterEach(async () => {
    for (const m of made.splice(0)) await m.reconcile(new Set()).catch(() => undefined);
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes each secret to a private tmpfs with its owner and mode, targets under /run/secrets', async () => {
    const { m, dir } = fresh();
    const files = await m.materialise(
      task('t1', [
        { id: 's1', name: 'db-pass', mode: 0o400, uid: '1000' },
        { id: 's2', name: '/etc/app/key' },
      ]),
      new Map([
        ['s1', secret('s1', 'hunter2')],
        ['s2', secret('s2', 'k3y')],
      ]),
      new Map<string, Config__Output>(),
    );
    expect(files.map((f) => f.target)).toEqual(['/run/secrets/db-pass', '/etc/app/key']);
    const [f1] = files;
    expect(readFileSync(f1?.hostPath ?? '', 'utf8')).toBe('hunter2');
    const st = statSync(f1?.hostPath ?? '');
    expect(st.mode & 0o777).toBe(0o400);
    expect(st.uid).toBe(1000);
    expect(await m.isTmpfs(join(dir, 't1'))).toBe(true);
    expect(statSync(join(dir, 't1')).mode & 0o777).toBe(0o700);
  });

  it('a secret that was not assigned fails the task and leaves nothing mounted', async () => {
    const { m, dir } = fresh();
    await expect(
      m.materialise(task('t2', [{ id: 'nope', name: 'x' }]), new Map(), new Map()),
    ).rejects.toThrow(/secret x was not assigned to this node/);
    expect(await m.isTmpfs(join(dir, 't2'))).toBe(false);
  });

  it('a task without secrets or configs gets no tmpfs and no directory', async () => {
    const { m, dir } = fresh();
    expect(await m.materialise(task('t4', []), new Map(), new Map())).toEqual([]);
    expect(existsSync(join(dir, 't4'))).toBe(false);
    await m.release('t4'); // nothing to do
  });

  it('a target name cannot choose a host path', async () => {
    const { m, dir } = fresh();
    const files = await m.materialise(
      task('t3', [{ id: 's1', name: '../../../etc/evil' }]),
      new Map([['s1', secret('s1', 'x')]]),
      new Map(),
    );
    expect(files[0]?.hostPath.startsWith(join(dir, 't3') + '/')).toBe(true);
    expect(existsSync(join(dir, 'etc'))).toBe(false);
  });

  it('release unmounts and removes; reconcile removes strays and keeps the listed tasks', async () => {
    const { m, dir } = fresh();
    for (const id of ['a', 'b', 'c'])
      await m.materialise(task(id, [{ id: 's', name: 'n' }]), new Map([['s', secret('s', 'v')]]), new Map());
    await m.release('a');
    expect(await m.isTmpfs(join(dir, 'a'))).toBe(false);
    expect(existsSync(join(dir, 'a'))).toBe(false);
    await m.release('a'); // again: nothing to do
    await m.reconcile(new Set(['b']));
    expect(await m.isTmpfs(join(dir, 'b'))).toBe(true);
    expect(await m.isTmpfs(join(dir, 'c'))).toBe(false);
    expect(existsSync(join(dir, 'c'))).toBe(false);
  });
});
