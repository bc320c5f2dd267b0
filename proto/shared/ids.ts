/**
 * Object identities: 25 lowercase base-36 characters from 128 random bits, the format of Swarm's IDs
 * (swarmkit `identity/randomid.go`). IDs are branded per kind so a TaskId cannot be passed as a NodeId;
 * mint them only with {@link newId} or check foreign ones with {@link parseId}.
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from './errors.ts';

declare const brand: unique symbol;

/** The kinds of object that carry an ID. */
export type IdKind = 'node' | 'service' | 'task' | 'network' | 'secret' | 'config' | 'cluster';

/** An ID of one kind of object. */
export type Id<K extends IdKind> = string & { readonly [brand]: K };
export type NodeId = Id<'node'>;
export type ServiceId = Id<'service'>;
export type TaskId = Id<'task'>;
export type NetworkId = Id<'network'>;
export type SecretId = Id<'secret'>;
export type ConfigId = Id<'config'>;
export type ClusterId = Id<'cluster'>;

/** Length of every ID: 36^25 > 2^128, so 25 base-36 digits hold 128 bits. */
export const ID_LENGTH = 25;

const ID_PATTERN = /^[0-9a-z]{25}$/;

/** Mints a fresh random ID of kind K. */
export function newId<K extends IdKind>(): Id<K> {
  const n = BigInt(`0x${randomBytes(16).toString('hex')}`);
  return n.toString(36).padStart(ID_LENGTH, '0') as Id<K>;
}

/** True when `s` has the shape of an ID (25 lowercase base-36 characters). */
export function isId(s: string): boolean {
  return ID_PATTERN.test(s);
}

/** Checks a full ID that came from outside (a request, the wire) and brands it; throws InvalidArgument. */
export function parseId<K extends IdKind>(kind: K, s: string): Id<K> {
  if (!isId(s))
    throw new InvalidArgumentError(
      `invalid ${kind} ID ${JSON.stringify(s)}: want 25 lowercase base-36 characters`,
      'ID',
    );
  return s as Id<K>;
}
