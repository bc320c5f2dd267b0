#!/usr/bin/env node
// Builds native/netns (the shoal_netns addon) with node-gyp. Run by `npm ci` / `npm install` through
// package.json's "install" script, and by hand with `npm run build:native`.
//
// node-gyp comes from npm's own bundled copy (npm puts it on PATH for lifecycle scripts; we also look
// next to npm_execpath), so no extra dependency is needed. When the running node has its headers
// installed locally (<prefix>/include/node), they are used instead of downloading them.
//
// Only Linux has network namespaces: elsewhere the build is skipped. A failed build does not fail the
// install (a developer without a compiler can still work on everything else); overlay networking then
// throws NativeAddonMissingError with instructions. Set SHOAL_NATIVE_REQUIRED=1 to make it fatal.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const addonDir = join(here, 'netns');
const required = process.env.SHOAL_NATIVE_REQUIRED === '1';

function log(msg) {
  console.error(`shoal native: ${msg}`);
}

function nodeGypCommand() {
  const candidates = [];
  if (process.env.npm_execpath) {
    // npm_execpath is …/npm/bin/npm-cli.js; node-gyp is bundled at …/npm/node_modules/node-gyp.
    candidates.push(
      join(dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    );
  }
  const prefix = join(dirname(process.execPath), '..');
  candidates.push(
    join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  );
  const script = candidates.find((c) => existsSync(c));
  return script ? [process.execPath, [script]] : ['node-gyp', []];
}

if (process.platform !== 'linux') {
  log(`skipped on ${process.platform} (network namespaces are Linux-only)`);
  process.exit(0);
}

const [cmd, pre] = nodeGypCommand();
const args = [...pre, 'rebuild', `--directory=${addonDir}`];
const localHeaders = join(dirname(process.execPath), '..', 'include', 'node', 'node_api.h');
if (!process.env.npm_config_nodedir && existsSync(localHeaders)) {
  args.push(`--nodedir=${join(dirname(process.execPath), '..')}`);
}
const started = Date.now();
const res = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const built = join(addonDir, 'build', 'Release', 'shoal_netns.node');
if (res.status === 0 && existsSync(built)) {
  log(`built ${built} in ${Date.now() - started} ms`);
  process.exit(0);
}
log(
  `BUILD FAILED (${res.error?.message ?? `exit ${res.status}`}); overlay networking will be unavailable.\n` +
    '  Needs a C compiler, make and python3; then run `npm run build:native`.',
);
process.exit(required ? 1 : 0);
