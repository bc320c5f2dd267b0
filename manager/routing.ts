/**
 * A gRPC service whose implementation comes and goes: the leader-only services (dispatcher, and the
 * parts of the control plane that run on the leader) are registered once when the server starts and
 * routed to the current implementation; while there is none (this manager is not the leader) calls
 * fail UNAVAILABLE naming the leader, with its address in the `shoal-leader-addr` header.
 */
import * as grpc from '@grpc/grpc-js';
import { LEADER_ADDR_HEADER } from '../ca/server.ts';

type Handler = (...args: never[]) => void;

function unavailable(leaderAddr: string | null, what: string): grpc.ServiceError {
  const md = new grpc.Metadata();
  if (leaderAddr) md.set(LEADER_ADDR_HEADER, leaderAddr);
  const details = leaderAddr
    ? `${what} runs on the leader, at ${leaderAddr}; this manager is not the leader`
    : `${what} is unavailable: no leader is known (is quorum lost?)`;
  return Object.assign(new Error(details), { code: grpc.status.UNAVAILABLE, details, metadata: md });
}

export function routed(
  definition: grpc.ServiceDefinition,
  what: string,
  current: () => grpc.UntypedServiceImplementation | undefined,
  leaderAddr: () => string | null,
): grpc.UntypedServiceImplementation {
  const out: grpc.UntypedServiceImplementation = {};
  for (const [name, method] of Object.entries(definition)) {
    const m = method as grpc.MethodDefinition<unknown, unknown>;
    out[name] = ((call: unknown, cb?: grpc.sendUnaryData<unknown>) => {
      const impl = current()?.[name] as Handler | undefined;
      if (impl) {
        (impl as unknown as (c: unknown, cb?: unknown) => void)(call, cb);
        return;
      }
      const err = unavailable(leaderAddr(), what);
      if (!m.responseStream && cb) {
        cb(err);
        return;
      }
      (call as { emit(ev: 'error', e: Error): void }).emit('error', err);
    }) as grpc.UntypedHandleCall;
  }
  return out;
}
