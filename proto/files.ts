import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder that holds the .proto tree (import paths are relative to it: `shoal/api/node.proto`). */
export const protoRoot = dirname(fileURLToPath(import.meta.url));

/** Every .proto file of the object model and services, as import paths relative to {@link protoRoot}. */
export function protoFiles(): string[] {
  const dir = join(protoRoot, 'shoal', 'api');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.proto'))
    .sort()
    .map((f) => `shoal/api/${f}`);
}
