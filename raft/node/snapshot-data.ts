/**
 * A raft snapshot's data: the member address book (so a node restored from a snapshot can reach its
 * peers) followed by the application's state. Layout: u32 BE length of a JSON member list, the JSON,
 * then the application's bytes.
 */
import type { Member } from './types.ts';

export function encodeSnapshotData(members: readonly Member[], app: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(members));
  const head = Buffer.alloc(4);
  head.writeUInt32BE(json.byteLength, 0);
  return Buffer.concat([head, json, app]);
}

export function decodeSnapshotData(data: Uint8Array): { members: Member[]; app: Uint8Array } {
  if (data.byteLength === 0) return { members: [], app: data };
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const len = buf.readUInt32BE(0);
  const members = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as Member[];
  return { members, app: buf.subarray(4 + len) };
}
