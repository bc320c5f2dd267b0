/**
 * Minimal DNS wire format (RFC 1035) for the embedded resolver: just enough to read one question and
 * write A answers. Parsing never throws on hostile input; it returns `undefined` instead.
 */

export const TYPE_A = 1;
export const TYPE_AAAA = 28;
export const CLASS_IN = 1;
export const RCODE_NOERROR = 0;
export const RCODE_FORMERR = 1;
export const RCODE_SERVFAIL = 2;
export const RCODE_NXDOMAIN = 3;

/** The parts of a query the resolver needs; `questionEnd` is the offset just past the question. */
export interface ParsedQuery {
  readonly id: number;
  readonly flags: number;
  readonly name: string;
  readonly qtype: number;
  readonly qclass: number;
  readonly questionEnd: number;
}

/** Reads the header and first question of a query; `undefined` for anything malformed or not a query. */
export function parseQuery(msg: Buffer): ParsedQuery | undefined {
  if (msg.length < 12) return undefined;
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if ((flags & 0x8000) !== 0) return undefined; // a response, not a query
  if (((flags >> 11) & 0xf) !== 0) return undefined; // only standard queries
  if (msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let off = 12;
  for (;;) {
    if (off >= msg.length) return undefined;
    const len = msg[off] ?? 0;
    off += 1;
    if (len === 0) break;
    if (len > 63) return undefined; // compression pointers do not occur in a lone question
    if (off + len > msg.length) return undefined;
    labels.push(msg.toString('latin1', off, off + len));
    off += len;
    if (off > 12 + 255) return undefined;
  }
  if (off + 4 > msg.length) return undefined;
  return {
    id,
    flags,
    name: labels.join('.').toLowerCase(),
    qtype: msg.readUInt16BE(off),
    qclass: msg.readUInt16BE(off + 2),
    questionEnd: off + 4,
  };
}

/** Builds a response echoing the query's question, with A records for `ipv4s` (pointer to the question name). */
export function buildResponse(
  query: Buffer,
  parsed: ParsedQuery,
  rcode: number,
  ipv4s: readonly string[],
  ttlSeconds: number,
): Buffer {
  const question = query.subarray(12, parsed.questionEnd);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(parsed.id, 0);
  // QR, AA, copy RD, RA; rcode
  header.writeUInt16BE(0x8000 | 0x0400 | (parsed.flags & 0x0100) | 0x0080 | (rcode & 0xf), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(ipv4s.length, 6);
  const answers = ipv4s.map((ip) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the name at offset 12
    rr.writeUInt16BE(TYPE_A, 2);
    rr.writeUInt16BE(CLASS_IN, 4);
    rr.writeUInt32BE(ttlSeconds, 6);
    rr.writeUInt16BE(4, 10);
    const parts = ip.split('.').map(Number);
    for (let i = 0; i < 4; i++) rr[12 + i] = parts[i] ?? 0;
    return rr;
  });
  return Buffer.concat([header, question, ...answers]);
}

/** A bare error response for a query whose question could not be parsed but whose id is readable. */
export function buildHeaderOnlyError(msg: Buffer, rcode: number): Buffer | undefined {
  if (msg.length < 12 || (msg.readUInt16BE(2) & 0x8000) !== 0) return undefined;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(msg.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8000 | (msg.readUInt16BE(2) & 0x0100) | (rcode & 0xf), 2);
  return header;
}
