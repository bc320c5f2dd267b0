/**
 * The Control service's shape in TypeScript, shared by the in-process API, its gRPC handlers and the
 * follower's forwarding to the leader: one method per RPC, named like the RPC in lowerCamelCase, taking
 * the request message and resolving with the response (the shapes of proto/gen's ControlClient).
 */
import * as grpc from '@grpc/grpc-js';
import type { ControlClient, ControlHandlers } from '../../proto/gen/shoal/api/Control.ts';
import { fromGrpcError, toGrpcError, ShoalError, UnavailableError } from '../../proto/shared/errors.ts';
import type { Logger } from '../../proto/shared/log.ts';
import { grpcServices } from '../../proto/load.ts';

/** Every RPC of the Control service (control.proto). */
export const CONTROL_RPCS = [
  'GetNode',
  'ListNodes',
  'UpdateNode',
  'RemoveNode',
  'GetTask',
  'ListTasks',
  'RemoveTask',
  'GetService',
  'ListServices',
  'CreateService',
  'UpdateService',
  'RemoveService',
  'GetNetwork',
  'ListNetworks',
  'CreateNetwork',
  'RemoveNetwork',
  'GetSecret',
  'ListSecrets',
  'CreateSecret',
  'UpdateSecret',
  'RemoveSecret',
  'GetConfig',
  'ListConfigs',
  'CreateConfig',
  'UpdateConfig',
  'RemoveConfig',
  'GetCluster',
  'ListClusters',
  'UpdateCluster',
] as const;

export type ControlRpc = (typeof CONTROL_RPCS)[number];

/** The request of an RPC (the generated client's last overload: `(argument, callback)`). */
export type RequestOf<N extends ControlRpc> = ControlClient[N] extends (
  argument: infer Q,
  callback: grpc.requestCallback<infer _R>,
) => grpc.ClientUnaryCall
  ? Q
  : never;

/** The response of an RPC, as a client decodes it (every field present). */
export type ResponseOf<N extends ControlRpc> = ControlClient[N] extends (
  argument: infer _Q,
  callback: grpc.requestCallback<infer R>,
) => grpc.ClientUnaryCall
  ? R
  : never;

/** The Control service as plain async methods. */
export type ControlMethods = {
  [N in ControlRpc as Uncapitalize<N>]: (request: RequestOf<N>) => Promise<ResponseOf<N>>;
};

/** `CreateService` → `createService`. */
export function methodName<N extends ControlRpc>(rpc: N): Uncapitalize<N> {
  return (rpc.charAt(0).toLowerCase() + rpc.slice(1)) as Uncapitalize<N>;
}

type AnyMethod = (request: unknown) => Promise<unknown>;

function method(impl: ControlMethods, rpc: ControlRpc): AnyMethod {
  const m = impl[methodName(rpc)] as AnyMethod;
  return (request) => m.call(impl, request);
}

function grpcFailure(err: unknown): grpc.ServiceError {
  const p = toGrpcError(err);
  return Object.assign(new Error(p.details), {
    code: p.code,
    details: p.details,
    metadata: new grpc.Metadata(),
  });
}

/** grpc-js handlers calling `impl`; failures travel as their gRPC code and message. */
export function controlHandlers(impl: ControlMethods, log?: Logger): ControlHandlers {
  const out: grpc.UntypedServiceImplementation = {};
  for (const rpc of CONTROL_RPCS) {
    const m = method(impl, rpc);
    out[rpc] = ((call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      m(call.request).then(
        (res) => cb(null, res),
        (err: unknown) => {
          if (!(err instanceof ShoalError)) log?.error({ err, rpc }, 'control API call failed');
          cb(grpcFailure(err));
        },
      );
    }) as grpc.UntypedHandleCall;
  }
  return out as ControlHandlers;
}

/** Adds the Control service, served by `impl`, to a gRPC server. */
export function registerControl(server: grpc.Server, impl: ControlMethods, log?: Logger): void {
  server.addService(grpcServices().shoal.api.Control.service, controlHandlers(impl, log));
}

/** Who leads, as this manager sees it. */
export interface LeaderView {
  readonly isLeader: boolean;
  /** A Control client connected to the leader (when known and not this manager). */
  readonly client?: ControlClient;
}

export interface ForwardingOptions {
  /** This manager's own control API (used while it leads). */
  readonly local: ControlMethods;
  readonly leader: () => LeaderView;
  /** Deadline of a forwarded call (default 30 s). */
  readonly timeoutMs?: number;
}

/** The Control service with forwarding, plus its gRPC face. */
export type ControlService = ControlMethods & {
  handlers(): ControlHandlers;
  register(server: grpc.Server): void;
};

/**
 * The control API of any manager: the leader answers itself; a follower forwards each call to the
 * leader's Control service and returns its answer, or fails with the leader's error unchanged
 * (same class and message, via fromGrpcError). With no known leader, calls fail Unavailable.
 */
export function forwardingControl(o: ForwardingOptions): ControlService {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const methods: Record<string, AnyMethod> = {};
  for (const rpc of CONTROL_RPCS) {
    const local = method(o.local, rpc);
    methods[methodName(rpc)] = async (request) => {
      const lead = o.leader();
      if (lead.isLeader) return local(request);
      const client = lead.client;
      if (!client)
        throw new UnavailableError('the control API is unavailable: no leader is known (is quorum lost?)');
      return forward(client, rpc, request, timeoutMs);
    };
  }
  const service = methods as unknown as ControlMethods;
  return Object.assign(service, {
    handlers: () => controlHandlers(service),
    register: (server: grpc.Server) => registerControl(server, service),
  });
}

function forward(
  client: ControlClient,
  rpc: ControlRpc,
  request: unknown,
  timeoutMs: number,
): Promise<unknown> {
  type Unary = (
    req: unknown,
    options: grpc.CallOptions,
    cb: (err: grpc.ServiceError | null, res?: unknown) => void,
  ) => grpc.ClientUnaryCall;
  const methods = client as unknown as Record<ControlRpc, Unary>;
  return new Promise((resolve, reject) => {
    methods[rpc](request, { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(fromGrpcError(err));
      else resolve(res);
    });
  });
}
