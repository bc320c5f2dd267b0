/**
 * Docker's image reference grammar (distribution/reference), as `ParseNormalizedNamed` applies it:
 *
 *   reference        := name [ ":" tag ] [ "@" digest ]
 *   name             := [domain '/'] path-component ['/' path-component]*
 *   domain           := domain-component ['.' domain-component]* [':' port-number]   (or [IPv6])
 *   domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 *   path-component   := alpha-numeric [separator alpha-numeric]*
 *   alpha-numeric    := /[a-z0-9]+/
 *   separator        := /[_.]|__|[-]+/
 *   tag              := /[\w][\w.-]{0,127}/
 *   digest           := algorithm ":" hex   (sha256: 64, sha384: 96, sha512: 128 lowercase hex digits)
 *
 * The name is at most 255 characters. A name made of 64 hex digits is refused (it looks like an image ID).
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

const DIGEST_HEX_LENGTH: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };
const NAME_MAX = 255;

/** A parsed image reference. */
export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Parses an image reference; returns why it is not one instead of throwing, so callers word the error
 * for their field (`Spec.TaskTemplate.ContainerSpec.Image`).
 */
export function parseReference(ref: string): ImageReference | { readonly error: string } {
  if (ref === '') return { error: 'repository name must have at least one component' };
  const m = REFERENCE.exec(ref);
  if (!m) {
    if (REFERENCE.test(lowerName(ref))) return { error: 'repository name must be lowercase' };
    return { error: 'invalid reference format' };
  }
  const name = m[1] ?? '';
  if (name.length > NAME_MAX)
    return { error: `repository name must not be more than ${NAME_MAX} characters` };
  if (/^[a-f0-9]{64}$/.test(name))
    return { error: `invalid repository name (${name}), cannot specify 64-byte hexadecimal strings` };
  const digest = m[3];
  if (digest !== undefined) {
    const [algorithm = '', hex = ''] = digest.split(':');
    const want = DIGEST_HEX_LENGTH[algorithm];
    if (want === undefined) return { error: `unsupported digest algorithm ${JSON.stringify(algorithm)}` };
    if (hex.length !== want || !/^[a-f0-9]+$/.test(hex)) return { error: 'invalid checksum digest format' };
  }
  return {
    name,
    ...(m[2] !== undefined ? { tag: m[2] } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The reference with its name part (before any tag or digest) lower-cased: tells "uppercase" from "malformed". */
function lowerName(ref: string): string {
  const at = ref.indexOf('@');
  const beforeDigest = at >= 0 ? ref.slice(0, at) : ref;
  const rest = at >= 0 ? ref.slice(at) : '';
  const slash = beforeDigest.lastIndexOf('/');
  const colon = beforeDigest.lastIndexOf(':');
  const nameEnd = colon > slash ? colon : beforeDigest.length;
  return beforeDigest.slice(0, nameEnd).toLowerCase() + beforeDigest.slice(nameEnd) + rest;
}
