/**
 * `npm run bench -- NAME [args...]` runs bench/NAME/main.ts in its own process and checks that its last
 * line is `RESULT NAME ...`. With no NAME it lists the benchmarks.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseResult } from './result.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));

/** The benchmarks that exist: folders of bench/ with a main.ts. */
export function benchmarks(): string[] {
  return readdirSync(benchDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(benchDir, e.name, 'main.ts')))
    .map((e) => e.name)
    .sort();
}

/** Runs one benchmark; resolves to its exit code (1 when it did not end with its RESULT line). */
export function runBenchmark(name: string, args: readonly string[] = []): Promise<number> {
  if (!benchmarks().includes(name)) {
    console.error(`unknown benchmark ${JSON.stringify(name)}; have: ${benchmarks().join(', ')}`);
    return Promise.resolve(2);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, name, 'main.ts'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('close', (code) => {
      if (code !== 0) return resolve(code ?? 1);
      const last =
        output
          .split('\n')
          .filter((l) => l.trim() !== '')
          .at(-1) ?? '';
      if (parseResult(last)?.name !== name) {
        console.error(`benchmark ${name} did not end with a "RESULT ${name} key=value ..." line`);
        return resolve(1);
      }
      resolve(0);
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, ...args] = process.argv.slice(2);
  if (name === undefined) {
    console.log(`benchmarks: ${benchmarks().join(', ')}\nrun one with: npm run bench -- NAME`);
  } else {
    process.exitCode = await runBenchmark(name, args);
  }
}
