/**
 * Runtime access to the .proto definitions: a protobufjs Root for reflection and binary encoding
 * (the store, raft payloads, the Docker JSON converter), and the grpc-js package definition for the
 * cluster's services. Both are loaded once and shared.
 */
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { join } from 'node:path';
import { protoFiles, protoRoot } from './files.ts';
import { protoLoaderOptions } from './options.ts';
import type { ProtoGrpcType as CaGrpc } from './gen/ca.ts';
import type { ProtoGrpcType as ControlGrpc } from './gen/control.ts';
import type { ProtoGrpcType as DispatcherGrpc } from './gen/dispatcher.ts';
import type { ProtoGrpcType as LogsGrpc } from './gen/logs.ts';
import type { ProtoGrpcType as RaftGrpc } from './gen/raft.ts';

let root: protobuf.Root | undefined;

/** The protobufjs Root holding every message of proto/shoal/api (and the well-known types). */
export function protoTypes(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) =>
    target.startsWith('google/protobuf/') ? target : join(protoRoot, target);
  r.loadSync(protoFiles(), { keepCase: protoLoaderOptions.keepCase });
  r.resolveAll();
  root = r;
  return r;
}

/** Looks up one message type by its short name within `shoal.api` (e.g. `Service`). Throws if unknown. */
export function messageType(name: string): protobuf.Type {
  return protoTypes().lookupType(name.includes('.') ? name : `shoal.api.${name}`);
}

/** Every gRPC service of the cluster, typed by the generated definitions. */
export type ShoalGrpc = CaGrpc & ControlGrpc & DispatcherGrpc & LogsGrpc & RaftGrpc;

let services: ShoalGrpc | undefined;

/** The grpc-js service definitions and client constructors (`grpcServices().shoal.api.Raft`, ...). */
export function grpcServices(): ShoalGrpc {
  if (services) return services;
  const definition = loadSync(protoFiles(), { ...protoLoaderOptions, includeDirs: [protoRoot] });
  services = grpc.loadPackageDefinition(definition) as unknown as ShoalGrpc;
  return services;
}
