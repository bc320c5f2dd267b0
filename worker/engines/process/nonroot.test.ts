/**
 * Without root the process engine runs tasks as plain child processes, and says so (what `shoal info`
 * shows): run for real under an unprivileged uid with setpriv.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const NOBODY = 65534;
const skip =
  process.getuid?.() !== 0
    ? 'needs root to switch to an unprivileged uid (the non-root path itself is what runs elsewhere)'
    : await run('sh', ['-c', 'command -v setpriv']).then(
        () => undefined,
        () => 'no setpriv (util-linux)',
      );
if (skip) console.warn(`process engine non-root test skipped: ${skip}`);

describe.skipIf(skip !== undefined)('ProcessEngine without root', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-nonroot-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the task as a plain process of the same uid and describes why there is no isolation', async () => {
    chownSync(dir, NOBODY, NOBODY);
    chmodSync(dir, 0o700);
    const script = fileURLToPath(new URL('./nonroot-run.ts', import.meta.url));
    const { stdout } = await run(
      'setpriv',
      [
        `--reuid=${NOBODY}`,
        `--regid=${NOBODY}`,
        '--clear-groups',
        '--',
        process.execPath,
        '--import',
        'tsx',
        script,
        dir,
      ],
      {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        env: { ...process.env, HOME: dir },
        timeout: 60_000,
      },
    );
    const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      describe: Record<string, string>;
      exit: { exitCode: number };
      lines: string[];
    };
    expect(out.describe['isolation']).toBe('none (not root): tasks run as plain child processes');
    expect(out.exit.exitCode).toBe(0);
    expect(out.lines).toContain(`uid=${NOBODY}`);
  }, 90_000);
});
