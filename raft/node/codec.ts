/**
 * Core messages ↔ the wire's RaftMessage (proto/shoal/api/raft.proto). Fields the proto has no slot
 * for (a vote's transfer flag, a heartbeat's null-vs-empty context, a transfer target) travel in
 * `extraJson`. A snapshot's data never travels in the message: the transport streams it separately.
 */
import type { RaftMessage, RaftMessage__Output } from '../../proto/gen/shoal/api/RaftMessage.ts';
import type { RaftEntry__Output } from '../../proto/gen/shoal/api/RaftEntry.ts';
import { nodeId, type Entry, type Message, type MessageType, type Snapshot } from '../core/index.ts';

interface Extra {
  transfer?: boolean;
  target?: string;
  hasContext?: boolean;
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set<MessageType>([
  'app',
  'appResp',
  'vote',
  'voteResp',
  'preVote',
  'preVoteResp',
  'heartbeat',
  'heartbeatResp',
  'snap',
  'timeoutNow',
  'prop',
  'readIndex',
  'readIndexResp',
  'transferLeader',
]);

/** Error thrown for a wire message that is not a valid raft message. */
export class BadRaftMessageError extends Error {
  constructor(detail: string) {
    super(`bad raft message: ${detail}`);
    this.name = 'BadRaftMessageError';
  }
}

function entryToWire(e: Entry): RaftMessage['entries'] extends (infer T)[] | undefined ? T : never {
  return {
    term: e.term,
    index: e.index,
    type: e.type === 'confChange' ? 'TYPE_CONF_CHANGE' : 'TYPE_NORMAL',
    data: Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength),
  };
}

function entryFromWire(e: RaftEntry__Output): Entry {
  return {
    term: e.term,
    index: e.index,
    type: e.type === 'TYPE_CONF_CHANGE' ? 'confChange' : 'normal',
    data: new Uint8Array(e.data),
  };
}

/** The wire form of a core message (a snap message's snapshot data is left out). */
export function toWire(m: Message): RaftMessage {
  const base: RaftMessage = { type: m.type, from: m.from, to: m.to, term: m.term };
  const extra: Extra = {};
  switch (m.type) {
    case 'app':
      Object.assign(base, {
        index: m.index,
        logTerm: m.logTerm,
        commit: m.commit,
        entries: m.entries.map(entryToWire),
      });
      break;
    case 'appResp':
      Object.assign(base, { index: m.index, reject: m.reject, rejectHint: m.rejectHint, logTerm: m.logTerm });
      break;
    case 'vote':
    case 'preVote':
      Object.assign(base, { index: m.index, logTerm: m.logTerm });
      if (m.transfer) extra.transfer = true;
      break;
    case 'voteResp':
    case 'preVoteResp':
      base.reject = m.reject;
      break;
    case 'heartbeat':
      base.commit = m.commit;
      if (m.context !== null) {
        extra.hasContext = true;
        base.context = Buffer.from(m.context);
      }
      break;
    case 'heartbeatResp':
      if (m.context !== null) {
        extra.hasContext = true;
        base.context = Buffer.from(m.context);
      }
      break;
    case 'snap':
      base.snapshot = {
        index: m.snapshot.meta.index,
        term: m.snapshot.meta.term,
        confState: {
          voters: [...m.snapshot.meta.confState.voters],
          learners: [...m.snapshot.meta.confState.learners],
        },
      };
      break;
    case 'timeoutNow':
      break;
    case 'prop':
      base.entries = m.entries.map(entryToWire);
      break;
    case 'readIndex':
      base.context = Buffer.from(m.context);
      break;
    case 'readIndexResp':
      base.index = m.index;
      base.context = Buffer.from(m.context);
      break;
    case 'transferLeader':
      extra.target = m.target;
      break;
  }
  if (Object.keys(extra).length > 0) base.extraJson = JSON.stringify(extra);
  return base;
}

/**
 * The core message a wire message carries; `snapshotData` completes a snap message. Throws
 * BadRaftMessageError for an unknown type or missing fields.
 */
export function fromWire(w: RaftMessage__Output, snapshotData?: Uint8Array): Message {
  if (!MESSAGE_TYPES.has(w.type)) throw new BadRaftMessageError(`unknown type ${JSON.stringify(w.type)}`);
  if (w.from === '' || w.to === '') throw new BadRaftMessageError('missing from/to');
  const extra = (w.extraJson === '' ? {} : JSON.parse(w.extraJson)) as Extra;
  const env = { from: nodeId(w.from), to: nodeId(w.to), term: w.term };
  const context = new Uint8Array(w.context);
  const type = w.type as MessageType;
  switch (type) {
    case 'app':
      return {
        ...env,
        type,
        index: w.index,
        logTerm: w.logTerm,
        commit: w.commit,
        entries: w.entries.map(entryFromWire),
      };
    case 'appResp':
      return { ...env, type, index: w.index, reject: w.reject, rejectHint: w.rejectHint, logTerm: w.logTerm };
    case 'vote':
    case 'preVote':
      return { ...env, type, index: w.index, logTerm: w.logTerm, transfer: extra.transfer === true };
    case 'voteResp':
    case 'preVoteResp':
      return { ...env, type, reject: w.reject };
    case 'heartbeat':
      return { ...env, type, commit: w.commit, context: extra.hasContext ? context : null };
    case 'heartbeatResp':
      return { ...env, type, context: extra.hasContext ? context : null };
    case 'snap': {
      const meta = w.snapshot;
      if (!meta) throw new BadRaftMessageError('snap without snapshot metadata');
      const snapshot: Snapshot = {
        meta: {
          index: meta.index,
          term: meta.term,
          confState: {
            voters: (meta.confState?.voters ?? []).map(nodeId),
            learners: (meta.confState?.learners ?? []).map(nodeId),
          },
        },
        data: snapshotData ?? new Uint8Array(0),
      };
      return { ...env, type, snapshot };
    }
    case 'timeoutNow':
      return { ...env, type };
    case 'prop':
      return { ...env, type, entries: w.entries.map(entryFromWire) };
    case 'readIndex':
      return { ...env, type, context };
    case 'readIndexResp':
      return { ...env, type, index: w.index, context };
    case 'transferLeader':
      if (!extra.target) throw new BadRaftMessageError('transferLeader without target');
      return { ...env, type, target: nodeId(extra.target) };
  }
}
