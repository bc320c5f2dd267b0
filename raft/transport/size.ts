/**
 * A cheap upper bound on a RaftMessage's encoded size, so batches stay under the gRPC message limit
 * without encoding every message twice. Each field is charged its payload plus the most a tag and
 * length or varint can take.
 */
import type { RaftMessage } from '../../proto/gen/shoal/api/RaftMessage.ts';

/** Tag (1) + a 64-bit varint (10), or tag + a length prefix (5) with slack. */
const FIELD_BYTES = 11;
/** The scalar fields of a RaftMessage (type, from, to, term, logTerm, index, commit, reject, rejectHint, extraJson, context, snapshot). */
const MESSAGE_FIELDS = 12;
/** An entry: its own length prefix plus term, index, type and the data's prefix. */
const ENTRY_OVERHEAD_BYTES = 5 * FIELD_BYTES;

function bytesOf(v: Buffer | Uint8Array | string | undefined): number {
  if (v === undefined) return 0;
  return typeof v === 'string' ? Buffer.byteLength(v) : v.byteLength;
}

/** An upper bound on the bytes `m` takes inside a RaftMessageBatch. */
export function estimateMessageBytes(m: RaftMessage): number {
  let n = (MESSAGE_FIELDS + 1) * FIELD_BYTES;
  n += bytesOf(m.type) + bytesOf(m.from) + bytesOf(m.to) + bytesOf(m.extraJson) + bytesOf(m.context);
  for (const e of m.entries ?? []) n += ENTRY_OVERHEAD_BYTES + bytesOf(e.data);
  const conf = m.snapshot?.confState;
  if (m.snapshot) n += 4 * FIELD_BYTES;
  for (const id of [...(conf?.voters ?? []), ...(conf?.learners ?? [])]) n += FIELD_BYTES + bytesOf(id);
  return n;
}
