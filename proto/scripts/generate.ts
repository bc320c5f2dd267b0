/**
 * Regenerates proto/gen/ from the .proto files: `npm run proto` (or `tsx proto/scripts/generate.ts OUTDIR`,
 * which the drift test uses to compare a fresh generation with the committed one).
 * Uses only `@grpc/proto-loader`'s generator from npm; nothing is downloaded.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { protoFiles, protoRoot } from '../files.ts';
import { genTypesFlags } from '../options.ts';

/** Generates TypeScript types and grpc-js service typings for every .proto file into `outDir`. */
export function generate(outDir: string): void {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const require = createRequire(import.meta.url);
  const bin = join(
    require.resolve('@grpc/proto-loader/package.json'),
    '..',
    'build',
    'bin',
    'proto-loader-gen-types.js',
  );
  execFileSync(
    process.execPath,
    [bin, ...genTypesFlags, `--includeDirs=${protoRoot}`, `--outDir=${outDir}`, ...protoFiles()],
    {
      cwd: protoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  for (const file of listFiles(outDir)) writeFileSync(file, postProcess(readFileSync(file, 'utf8')));
}

/**
 * Makes the generator's output valid ESM under `nodenext` and independent of where the repo lives:
 * relative imports get their `.ts` extension, and absolute source paths in comments become relative.
 */
function postProcess(source: string): string {
  return source.replace(/from '(\.{1,2}\/[^']+)'/g, "from '$1.ts'").replaceAll(`${protoRoot}/`, 'proto/');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

if (process.argv[1] === import.meta.filename) {
  const outDir = process.argv[2] ?? join(protoRoot, 'gen');
  generate(outDir);
  console.log(`generated ${outDir}`);
}
