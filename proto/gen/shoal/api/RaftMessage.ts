// Original file: proto/shoal/api/raft.proto

import type { RaftEntry as _shoal_api_RaftEntry, RaftEntry__Output as _shoal_api_RaftEntry__Output } from '../../shoal/api/RaftEntry.ts';
import type { RaftSnapshotMeta as _shoal_api_RaftSnapshotMeta, RaftSnapshotMeta__Output as _shoal_api_RaftSnapshotMeta__Output } from '../../shoal/api/RaftSnapshotMeta.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * RaftMessage carries one core message. Its fields are the union of what the message types need; `type`
 * says which. A snapshot's data never travels in it: it is streamed in chunks by StreamSnapshot.
 */
export interface RaftMessage {
  'type'?: (string);
  'from'?: (string);
  'to'?: (string);
  'term'?: (number | string | Long);
  'logTerm'?: (number | string | Long);
  'index'?: (number | string | Long);
  'entries'?: (_shoal_api_RaftEntry)[];
  'commit'?: (number | string | Long);
  'reject'?: (boolean);
  'rejectHint'?: (number | string | Long);
  'context'?: (Buffer | Uint8Array | string);
  'snapshot'?: (_shoal_api_RaftSnapshotMeta | null);
  /**
   * Fields the core may add later, carried as JSON so the wire stays compatible.
   */
  'extraJson'?: (string);
}

/**
 * RaftMessage carries one core message. Its fields are the union of what the message types need; `type`
 * says which. A snapshot's data never travels in it: it is streamed in chunks by StreamSnapshot.
 */
export interface RaftMessage__Output {
  'type': (string);
  'from': (string);
  'to': (string);
  'term': (number);
  'logTerm': (number);
  'index': (number);
  'entries': (_shoal_api_RaftEntry__Output)[];
  'commit': (number);
  'reject': (boolean);
  'rejectHint': (number);
  'context': (Buffer);
  'snapshot': (_shoal_api_RaftSnapshotMeta__Output | null);
  /**
   * Fields the core may add later, carried as JSON so the wire stays compatible.
   */
  'extraJson': (string);
}
