/** What both ends of a raft stream agree on: the headers naming its ends, and how a client is made. */
import * as grpc from '@grpc/grpc-js';
import { grpcServices } from '../../proto/load.ts';
import type { RaftClient } from '../../proto/gen/shoal/api/Raft.ts';
import { channelOptions, type ResolvedTransportOptions } from './options.ts';

/** Request header: the sender's raft ID. */
export const FROM_HEADER = 'shoal-raft-from';
/** Request header: the raft ID the sender believes it dialled; the receiver refuses the stream if not its own. */
export const TO_HEADER = 'shoal-raft-to';

/** Headers for a stream from `from` to `to`. */
export function streamMetadata(from: string, to: string): grpc.Metadata {
  const md = new grpc.Metadata();
  md.set(FROM_HEADER, from);
  md.set(TO_HEADER, to);
  return md;
}

/** The first value of a text header, or undefined. */
export function headerOf(md: grpc.Metadata, key: string): string | undefined {
  const v = md.get(key)[0];
  return typeof v === 'string' ? v : undefined;
}

/** A Raft client with its own channel to `addr`, configured by {@link channelOptions}. */
export function newRaftClient(addr: string, o: ResolvedTransportOptions): RaftClient {
  const Raft = grpcServices().shoal.api.Raft;
  return new Raft(addr, o.credentials.client, channelOptions(o));
}
