/**
 * Image names as Docker spells them: `busybox` is `busybox:latest`, `docker.io/library/busybox` is
 * `busybox`, and a pinned digest (`busybox:latest@sha256:…`, as Swarm writes into task specs) names the
 * same local image as its tag. Pure functions.
 */
import { InvalidArgumentError } from '../../proto/shared/errors.ts';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^[a-zA-Z0-9.-]+(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/**
 * The canonical form of an image name (`repo[:tag]`, tag defaulting to `latest`, digest dropped).
 * @throws InvalidArgumentError naming the bad name.
 */
export function normaliseImageName(name: string): string {
  const bad = (why: string): InvalidArgumentError =>
    new InvalidArgumentError(`invalid image name ${JSON.stringify(name)}: ${why}`, 'image');
  let rest = name.trim();
  if (rest === '') throw bad('empty');
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  let tag = 'latest';
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!TAG.test(tag)) throw bad(`bad tag ${JSON.stringify(tag)}`);
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  let host: string | undefined;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    parts.shift();
    if (!HOST.test(first)) throw bad(`bad registry ${JSON.stringify(first)}`);
    host = first === 'docker.io' || first === 'index.docker.io' ? undefined : first.toLowerCase();
  }
  if (host === undefined && parts.length === 2 && parts[0] === 'library') parts.shift();
  for (const p of parts) {
    if (!COMPONENT.test(p)) throw bad(`bad path component ${JSON.stringify(p)}`);
  }
  if (host !== undefined) parts.unshift(host);
  return `${parts.join('/')}:${tag}`;
}

/** A directory name for a canonical image name: reversible, no `/`, never `.` or `..`. */
export function safeDirName(canonical: string): string {
  return canonical.replace(/%/g, '%25').replace(/\//g, '%2F').replace(/:/g, '%3A');
}
