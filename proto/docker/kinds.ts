/**
 * Typed entry points of the converter: one per object kind and request body of the Docker API.
 * `fromDockerAs('ServiceSpec', body)` gives a `ServiceSpec__Output`; `toDockerAs('Service', svc)` the
 * JSON that `GET /services/{id}` returns.
 */
import type { Cluster__Output } from '../gen/shoal/api/Cluster.ts';
import type { ClusterSpec__Output } from '../gen/shoal/api/ClusterSpec.ts';
import type { Config__Output } from '../gen/shoal/api/Config.ts';
import type { ConfigSpec__Output } from '../gen/shoal/api/ConfigSpec.ts';
import type { Network__Output } from '../gen/shoal/api/Network.ts';
import type { NetworkCreateRequest__Output } from '../gen/shoal/api/NetworkCreateRequest.ts';
import type { NetworkResource__Output } from '../gen/shoal/api/NetworkResource.ts';
import type { NetworkSpec__Output } from '../gen/shoal/api/NetworkSpec.ts';
import type { Node__Output } from '../gen/shoal/api/Node.ts';
import type { NodeSpec__Output } from '../gen/shoal/api/NodeSpec.ts';
import type { Secret__Output } from '../gen/shoal/api/Secret.ts';
import type { SecretSpec__Output } from '../gen/shoal/api/SecretSpec.ts';
import type { Service__Output } from '../gen/shoal/api/Service.ts';
import type { ServiceSpec__Output } from '../gen/shoal/api/ServiceSpec.ts';
import type { SwarmInitRequest__Output } from '../gen/shoal/api/SwarmInitRequest.ts';
import type { SwarmJoinRequest__Output } from '../gen/shoal/api/SwarmJoinRequest.ts';
import type { SwarmUnlockRequest__Output } from '../gen/shoal/api/SwarmUnlockRequest.ts';
import type { Task__Output } from '../gen/shoal/api/Task.ts';
import type { TaskSpec__Output } from '../gen/shoal/api/TaskSpec.ts';
import { fromDocker, toDocker, type DockerObject, type FromDockerOptions } from './convert.ts';

/** Every Docker API shape Shoal converts, by proto message name. */
export interface DockerKinds {
  Node: Node__Output;
  NodeSpec: NodeSpec__Output;
  Service: Service__Output;
  ServiceSpec: ServiceSpec__Output;
  Task: Task__Output;
  TaskSpec: TaskSpec__Output;
  Network: Network__Output;
  NetworkSpec: NetworkSpec__Output;
  NetworkResource: NetworkResource__Output;
  NetworkCreateRequest: NetworkCreateRequest__Output;
  Secret: Secret__Output;
  SecretSpec: SecretSpec__Output;
  Config: Config__Output;
  ConfigSpec: ConfigSpec__Output;
  Cluster: Cluster__Output;
  ClusterSpec: ClusterSpec__Output;
  SwarmInitRequest: SwarmInitRequest__Output;
  SwarmJoinRequest: SwarmJoinRequest__Output;
  SwarmUnlockRequest: SwarmUnlockRequest__Output;
}

export type DockerKind = keyof DockerKinds;

/** Reads Docker JSON of one kind; throws InvalidArgumentError naming the bad field. */
export function fromDockerAs<K extends DockerKind>(
  kind: K,
  json: unknown,
  options?: FromDockerOptions,
): DockerKinds[K] {
  return fromDocker<DockerKinds[K]>(kind, json, options);
}

/** Writes an object of one kind as the Docker API returns it. */
export function toDockerAs<K extends DockerKind>(kind: K, value: DockerKinds[K]): DockerObject {
  return toDocker(kind, value);
}
