/** The object kinds of the replicated store and what the store says about them. */
import type { Cluster__Output } from '../../proto/gen/shoal/api/Cluster.ts';
import type { Config__Output } from '../../proto/gen/shoal/api/Config.ts';
import type { Network__Output } from '../../proto/gen/shoal/api/Network.ts';
import type { Node__Output } from '../../proto/gen/shoal/api/Node.ts';
import type { Secret__Output } from '../../proto/gen/shoal/api/Secret.ts';
import type { Service__Output } from '../../proto/gen/shoal/api/Service.ts';
import type { Task__Output } from '../../proto/gen/shoal/api/Task.ts';
import type { TaskState__Output } from '../../proto/gen/shoal/api/TaskState.ts';
import { FailedPreconditionError } from '../../proto/shared/errors.ts';

export type Node = Node__Output;
export type Service = Service__Output;
export type Task = Task__Output;
export type Network = Network__Output;
export type Secret = Secret__Output;
export type Config = Config__Output;
export type Cluster = Cluster__Output;
export type TaskState = TaskState__Output;

export interface ObjectOf {
  node: Node;
  service: Service;
  task: Task;
  network: Network;
  secret: Secret;
  config: Config;
  cluster: Cluster;
}

export type Kind = keyof ObjectOf;
export type AnyObject = ObjectOf[Kind];

export const KINDS: readonly Kind[] = ['node', 'service', 'task', 'network', 'secret', 'config', 'cluster'];

/** Kinds whose names are unique in the swarm (checked when a transaction commits). */
export const UNIQUE_NAME_KINDS: readonly Kind[] = ['service', 'network', 'secret', 'config', 'cluster'];

/** The proto message of each kind (as in StoreObject's oneof). */
export const MESSAGE_OF: Readonly<Record<Kind, string>> = {
  node: 'Node',
  service: 'Service',
  task: 'Task',
  network: 'Network',
  secret: 'Secret',
  config: 'Config',
  cluster: 'Cluster',
};

export type Action = 'create' | 'update' | 'remove';

/** One committed change, delivered to watchers after the transaction commits. */
export interface StoreEvent<K extends Kind = Kind> {
  readonly kind: K;
  readonly action: Action;
  /** The object as committed (for remove: as it was when removed). */
  readonly object: ObjectOf[K];
  /** The object before an update. */
  readonly old?: ObjectOf[K];
}

/** Lookups: every given criterion must hold. */
export interface By {
  /** Exact ID or a unique-ish ID prefix (every object whose ID starts with it). */
  readonly idPrefix?: string;
  /** Exact name (spec.name; a node's hostname or spec.name; a task's name). */
  readonly name?: string;
  readonly namePrefix?: string;
  /** Tasks of a service. */
  readonly serviceId?: string;
  /** Tasks on a node. */
  readonly nodeId?: string;
  /** Tasks in a slot (with serviceId). */
  readonly slot?: number;
  readonly desiredState?: TaskState;
  /** Objects carrying a label (any value, or exactly `value`). */
  readonly label?: { readonly key: string; readonly value?: string };
}

/** An update carrying a stale Version.Index (someone else changed the object first). */
export class OutOfSequenceError extends FailedPreconditionError {
  constructor() {
    super('update out of sequence');
  }
}

/** A transaction the store refused when it committed (name taken, object gone, …). */
export class TransactionRefusedError extends FailedPreconditionError {}
