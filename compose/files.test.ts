import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertStack } from './convert/stack.ts';
import { loadComposeFiles, readObjectFile } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'shoal-compose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadComposeFiles', () => {
  it('reads the files, the .env beside the first one, env_files and secret files', () => {
    writeFileSync(join(dir, '.env'), 'TAG=1.25\nREPLICAS=2\n');
    writeFileSync(join(dir, 'web.env'), 'FROM_FILE=yes\n');
    writeFileSync(join(dir, 'secret.txt'), 's3cr3t');
    writeFileSync(
      join(dir, 'compose.yml'),
      'services:\n  web:\n    image: nginx:${TAG}\n    env_file: web.env\n    secrets: [s]\n    deploy: { replicas: "${REPLICAS}" }\nsecrets:\n  s: { file: ./secret.txt }\n',
    );
    writeFileSync(join(dir, 'prod.yml'), 'services:\n  web:\n    environment: { MODE: "${MODE:-dev}" }\n');
    const project = loadComposeFiles([join(dir, 'compose.yml'), join(dir, 'prod.yml')], {
      env: { MODE: 'prod' },
    });
    const stack = convertStack(project, 'app', { readFile: readObjectFile });
    const spec = stack.services[0]?.spec as {
      Mode: unknown;
      TaskTemplate: { ContainerSpec: Record<string, unknown> };
    };
    expect(spec.TaskTemplate.ContainerSpec['Image']).toBe('nginx:1.25');
    expect(spec.TaskTemplate.ContainerSpec['Env']).toEqual(['FROM_FILE=yes', 'MODE=prod']);
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 2 } });
    expect(stack.secrets[0]?.spec['Data']).toBe(Buffer.from('s3cr3t').toString('base64'));
  });

  it('names the file when a required env_file is missing', () => {
    writeFileSync(join(dir, 'broken.yml'), 'services:\n  web:\n    image: x\n    env_file: [missing.env]\n');
    expect(() => loadComposeFiles([join(dir, 'broken.yml')], { env: {} })).toThrow(
      /services\.web\.env_file: cannot read env file .*missing\.env/,
    );
  });
});
