/**
 * A raft snapshot's data: the member address book (so a node restored from a snapshot can reach its
 * peers), the ids of members removed from the cluster (whose messages stay ignored), then the
 * application's state. Layout: u32 BE length of a JSON head, the JSON, then the application's bytes.
 * The head is `{ members, removed }`; a bare member list (the first layout) is still read.
 */
import type { Member } from './types.ts';

/** A decoded snapshot's data. */
export interface SnapshotData {
  readonly members: Member[];
  readonly removed: string[];
  readonly app: Uint8Array;
}

/** Encodes the address book, the removed ids and the application's state as one snapshot's data. */
export function encodeSnapshotData(
  members: readonly Member[],
  app: Uint8Array,
  removed: readonly string[] = [],
): Uint8Array {
  const json = Buffer.from(JSON.stringify({ members, removed }));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(json.byteLength, 0);
  return Buffer.concat([head, json, app]);
}

/** Decodes what encodeSnapshotData wrote (or the older layout without removed ids). */
export function decodeSnapshotData(data: Uint8Array): SnapshotData {
  if (data.byteLength === 0) return { members: [], removed: [], app: data };
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const len = buf.readUInt32BE(0);
  const head = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as
    Member[] | { members: Member[]; removed?: string[] };
  const app = buf.subarray(4 + len);
  if (Array.isArray(head)) return { members: head, removed: [], app };
  return { members: head.members, removed: head.removed ?? [], app };
}
