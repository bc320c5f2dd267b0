/** Shoal's version and the Docker API versions it speaks; one place for every component to read them. */
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const SHOAL_VERSION: string = pkg.version;
/** The newest Docker Engine API version served (`Api-Version` header). */
export const DOCKER_API_VERSION = '1.47';
/** The oldest Docker Engine API version accepted in a `/vX.Y/` path. */
export const DOCKER_MIN_API_VERSION = '1.24';
