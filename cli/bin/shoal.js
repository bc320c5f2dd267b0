#!/usr/bin/env node
// Entry point of `shoal`: runs the TypeScript source through tsx, so `npx shoal` works after `npm ci`
// with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main.ts');
process.exitCode = await main(process.argv.slice(2));
