/**
 * Binary encoding of the objects the agent persists (tasks and statuses), through the same protobuf
 * definitions as the wire, so a stored object decodes to exactly the shape gRPC delivers.
 */
import type { Task, Task__Output } from '../../proto/gen/shoal/api/Task.ts';
import type { TaskStatus, TaskStatus__Output } from '../../proto/gen/shoal/api/TaskStatus.ts';
import { messageType } from '../../proto/load.ts';
import { protoLoaderOptions } from '../../proto/options.ts';

const CONVERSION = {
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: protoLoaderOptions.defaults,
  oneofs: protoLoaderOptions.oneofs,
} as const;

function encode(type: string, value: object): Uint8Array {
  const t = messageType(type);
  return t.encode(t.fromObject(value)).finish();
}

function decode<T>(type: string, bytes: Uint8Array): T {
  const t = messageType(type);
  return t.toObject(t.decode(bytes), CONVERSION) as T;
}

export function encodeTask(task: Task | Task__Output): Uint8Array {
  return encode('Task', task);
}

export function decodeTask(bytes: Uint8Array): Task__Output {
  return decode('Task', bytes);
}

export function encodeStatus(status: TaskStatus | TaskStatus__Output): Uint8Array {
  return encode('TaskStatus', status);
}

export function decodeStatus(bytes: Uint8Array): TaskStatus__Output {
  return decode('TaskStatus', bytes);
}

/** A task as gRPC would deliver it (every field present), from a partial input object. */
export function taskOutput(task: Task): Task__Output {
  return decodeTask(encodeTask(task));
}
