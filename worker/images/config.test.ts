import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyChanges, EMPTY_IMAGE_CONFIG, readSavedConfig, taskArgv } from './config.ts';

describe('image run configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-imgcfg-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads Entrypoint, Cmd, Env and WorkingDir from a docker save archive', async () => {
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify([{ Config: 'blobs/c.json', Layers: [] }]));
    writeFileSync(
      join(dir, 'blobs', 'c.json'),
      JSON.stringify({
        config: {
          Entrypoint: ['/docker-entrypoint.sh'],
          Cmd: ['nginx', '-g', 'daemon off;'],
          Env: ['A=1'],
          WorkingDir: '/srv',
        },
      }),
    );
    expect(await readSavedConfig(dir)).toEqual({
      entrypoint: ['/docker-entrypoint.sh'],
      cmd: ['nginx', '-g', 'daemon off;'],
      env: ['A=1'],
      workingDir: '/srv',
    });
  });

  it('applies docker --change lines and refuses the ones it cannot honour', () => {
    const c = applyChanges(EMPTY_IMAGE_CONFIG, [
      'CMD ["sleep","60"]',
      'ENV X=y',
      'WORKDIR /w',
      'ENTRYPOINT echo hi',
    ]);
    expect(c).toEqual({
      entrypoint: ['/bin/sh', '-c', 'echo hi'],
      cmd: ['sleep', '60'],
      env: ['X=y'],
      workingDir: '/w',
    });
    expect(() => applyChanges(EMPTY_IMAGE_CONFIG, ['EXPOSE 80'])).toThrow(
      'only CMD, ENTRYPOINT, ENV and WORKDIR',
    );
    expect(() => applyChanges(EMPTY_IMAGE_CONFIG, ['CMD ["a", 1]'])).toThrow('not a JSON array of strings');
    expect(() => applyChanges(EMPTY_IMAGE_CONFIG, ['WORKDIR rel'])).toThrow('absolute path');
  });

  it('picks the argv as Docker does: Command replaces Entrypoint, Args replace Cmd', () => {
    const img = { entrypoint: ['/e'], cmd: ['c1'], env: [], workingDir: '' };
    expect(taskArgv([], [], img)).toEqual(['/e', 'c1']);
    expect(taskArgv([], ['a'], img)).toEqual(['/e', 'a']);
    expect(taskArgv(['/x'], [], img)).toEqual(['/x']);
    expect(taskArgv(['/x'], ['y'], img)).toEqual(['/x', 'y']);
    expect(taskArgv([], [], EMPTY_IMAGE_CONFIG)).toEqual([]);
  });
});
