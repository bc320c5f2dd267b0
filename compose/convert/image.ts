/**
 * Image references as docker's client sends them when it queries the registry for a digest and
 * gets none (`imageWithTagString`): the familiar name with `:latest` added when no tag or digest
 * is given (`busybox` → `busybox:latest`, `docker.io/library/redis` → `redis:latest`). References
 * that do not parse (templates, upper case) are left as they are, as the client does.
 */

const REFERENCE =
  /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?\/|localhost(?::\d+)?\/|[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@[a-z0-9]+:[a-f0-9]{32,})?$/;

/** `image` with `:latest` added when it has neither tag nor digest, in docker's familiar form. */
export function imageWithTag(image: string): string {
  if (!REFERENCE.test(image)) return image;
  let familiar = image.replace(/^(?:index\.)?docker\.io\//, '');
  if (familiar !== image && !familiar.includes('/')) return image;
  familiar = familiar.replace(/^library\/(?=[^/]+$)/, '');
  if (familiar.includes('@')) return familiar;
  const lastSegment = familiar.slice(familiar.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? familiar : `${familiar}:latest`;
}
