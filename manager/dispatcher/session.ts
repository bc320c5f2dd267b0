/**
 * An agent's session, and what opening one writes to the store: the Node object, created on first
 * contact (role from the certificate, availability ACTIVE) or refreshed (description, READY, address).
 */
import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import type { NodeDescription__Output } from '../../proto/gen/shoal/api/NodeDescription.ts';
import type { NodeRole__Output as NodeRole } from '../../proto/gen/shoal/api/NodeRole.ts';
import type { SessionMessage } from '../../proto/gen/shoal/api/SessionMessage.ts';
import type { SessionRequest__Output } from '../../proto/gen/shoal/api/SessionRequest.ts';
import { toGrpcError } from '../../proto/shared/errors.ts';
import { blank, clone, type MemoryStore } from '../store/memory.ts';
import { OutOfSequenceError } from '../store/types.ts';
import type { AssignmentStream } from './assignment-stream.ts';

export type SessionCall = grpc.ServerWritableStream<SessionRequest__Output, SessionMessage>;

/** One agent session. Valid until replaced, expired, or the dispatcher stops. */
export class Session {
  readonly id = randomBytes(16).toString('hex');
  /** The stream the session was opened on; undefined once the agent hung up. */
  stream: SessionCall | undefined;
  /** The node is registered and the first message was sent. */
  registered = false;
  ended = false;
  /** Fingerprint of the last message sent, to skip repeats. */
  lastSent = '';
  readonly assignments = new Set<AssignmentStream>();

  constructor(
    readonly nodeId: string,
    stream: SessionCall,
  ) {
    this.stream = stream;
    stream.on('cancelled', () => {
      this.stream = undefined;
    });
  }

  send(msg: SessionMessage): void {
    this.stream?.write(msg);
  }

  /** Ends the session and its assignment streams with `err`. */
  end(err: unknown): void {
    if (this.ended) return;
    this.ended = true;
    for (const a of [...this.assignments]) a.close(err);
    const s = this.stream;
    this.stream = undefined;
    if (s && !s.cancelled) s.emit('error', serviceError(err));
  }
}

/** A grpc-js error carrying the status of a Shoal error. */
export function serviceError(err: unknown): grpc.ServiceError {
  const p = toGrpcError(err);
  return Object.assign(new Error(p.details), {
    code: p.code,
    details: p.details,
    metadata: new grpc.Metadata(),
  });
}

/** The host of a grpc-js peer string (`1.2.3.4:5678`, `::1:5678`, `::ffff:1.2.3.4:5678`). */
export function peerHost(peer: string): string {
  if (peer === 'unknown' || peer === '') return '';
  let host = peer;
  const m = /^\[(.*)\](?::\d+)?$/.exec(peer);
  if (m) host = m[1] ?? '';
  else {
    const i = peer.lastIndexOf(':');
    if (i > 0 && /^\d+$/.test(peer.slice(i + 1))) host = peer.slice(0, i);
  }
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice('::ffff:'.length) : host;
}

const WRITE_ATTEMPTS = 5;

/** Runs a store write again when another writer changed the object first. */
export async function withRetry(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return;
    } catch (err) {
      if (!(err instanceof OutOfSequenceError) || attempt >= WRITE_ATTEMPTS) throw err;
    }
  }
}

export interface Registration {
  readonly nodeId: string;
  readonly description: NodeDescription__Output | null;
  readonly addr: string;
  readonly role: NodeRole;
}

/** Creates or refreshes the node's object: READY at `addr`, with the description the agent sent. */
export function registerNode(store: MemoryStore, r: Registration): Promise<void> {
  return withRetry(() =>
    store.update((tx) => {
      const cur = tx.get('node', r.nodeId);
      const next = cur ? clone(cur) : blank('node');
      next.id = r.nodeId;
      if (r.description) next.description = clone(r.description);
      next.status = { state: 'STATE_READY', message: '', addr: r.addr || (cur?.status?.addr ?? '') };
      if (cur) {
        tx.update('node', next);
        return;
      }
      next.spec = { name: '', labels: {}, role: r.role, availability: 'AVAILABILITY_ACTIVE' };
      tx.create('node', next);
    }),
  );
}

/** Marks the node DOWN with `message`, unless it is gone, already DOWN, or `stillAlive()` now. */
export function markNodeDown(
  store: MemoryStore,
  nodeId: string,
  message: string,
  stillAlive: () => boolean,
): Promise<void> {
  return withRetry(() =>
    store.update((tx) => {
      if (stillAlive()) return;
      const cur = tx.get('node', nodeId);
      if (!cur || cur.status?.state === 'STATE_DOWN') return;
      const next = clone(cur);
      next.status = { state: 'STATE_DOWN', message, addr: cur.status?.addr ?? '' };
      tx.update('node', next);
    }),
  );
}
