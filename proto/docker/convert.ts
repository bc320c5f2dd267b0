/**
 * Generic conversion between proto objects and the Docker Engine API's JSON, driven by the message
 * descriptors: JSON names come from each field's `json_name` (or its PascalCase name), durations are
 * integer nanoseconds on both sides, times are RFC3339 ↔ Timestamp, bytes are base64 ↔ Buffer, enums
 * are Docker's lowercase strings ↔ proto enum names.
 *
 * Omitted vs null, as Docker's Go types behave: null and absent are the same on input; on output,
 * empty lists and maps, unset messages and zero values of fields without presence are omitted (Go's
 * `omitempty`), fields with presence (Go pointers, proto3 `optional`) are written whenever set, even
 * when zero (`"Replicas": 0`, `"Init": false`), and a few fields Docker always writes are written
 * even when empty (see `ALWAYS_EMIT` in fields.ts).
 */
import type protobuf from 'protobufjs';
import { InvalidArgumentError } from '../shared/errors.ts';
import { messageType } from '../load.ts';
import {
  enumDockerValues,
  enumFromDocker,
  enumToDocker,
  fieldsByJsonName,
  type FieldInfo,
  type FieldKind,
} from './fields.ts';
import { formatRfc3339, GO_ZERO_TIME, parseRfc3339, type TimestampValue } from './time.ts';

/** A JSON value as the Docker API reads and writes it. */
export type DockerJson = null | boolean | number | string | DockerJson[] | { [key: string]: DockerJson };
export type DockerObject = { [key: string]: DockerJson };

export interface FromDockerOptions {
  /**
   * What to do with a key the proto type has no field for. The HTTP API ignores them (as Docker
   * does, so newer clients keep working); tests use 'error' to prove the model covers every field.
   */
  readonly unknownFields?: 'ignore' | 'error';
}

/** The proto-loader conversion options of proto/options.ts, for protobufjs' toObject. */
const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

/**
 * Reads Docker JSON into the proto object of `typeName` (the shape proto-loader produces: defaults
 * filled, absent messages null). Throws InvalidArgumentError naming the JSON path of a bad value.
 */
export function fromDocker<T>(typeName: string, json: unknown, options: FromDockerOptions = {}): T {
  const type = messageType(typeName);
  const plain = readMessage(type, json, typeName, options);
  return type.toObject(type.fromObject(plain), TO_OBJECT) as T;
}

/** Writes the proto object of `typeName` as Docker JSON. */
export function toDocker(typeName: string, value: object): DockerObject {
  return writeMessage(messageType(typeName), value);
}

/** Encodes to protobuf binary and back: the object exactly as it would arrive over gRPC or from the store. */
export function protoRoundTrip<T>(typeName: string, value: object): T {
  const type = messageType(typeName);
  const message = type.fromObject(value);
  const err = type.verify(message);
  if (err) throw new InvalidArgumentError(`${typeName}: ${err}`);
  return type.toObject(type.decode(type.encode(message).finish()), TO_OBJECT) as T;
}

// ---- Docker JSON → proto ----

function readMessage(
  type: protobuf.Type,
  json: unknown,
  path: string,
  options: FromDockerOptions,
): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad(path, 'an object', json);
  const fields = fieldsByJsonName(type);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = fields.get(key);
    if (!field) {
      if (options.unknownFields === 'error')
        throw new InvalidArgumentError(`${path}.${key}: unknown field`, `${path}.${key}`);
      continue;
    }
    if (value === null || value === undefined) continue;
    const read = readField(field, value, `${path}.${key}`, options);
    if (read !== undefined) out[field.name] = read;
  }
  return out;
}

function readField(field: FieldInfo, value: unknown, path: string, options: FromDockerOptions): unknown {
  if (field.map) {
    if (typeof value !== 'object' || Array.isArray(value)) throw bad(path, 'an object', value);
    return Object.fromEntries(
      Object.entries(value as object).map(([k, v]) => [
        k,
        readValue(field.value, v, `${path}.${k}`, options),
      ]),
    );
  }
  if (field.repeated) {
    if (!Array.isArray(value)) throw bad(path, 'an array', value);
    return value.map((v, i) => readValue(field.value, v, `${path}[${i}]`, options));
  }
  return readValue(field.value, value, path, options);
}

function readValue(kind: FieldKind, value: unknown, path: string, options: FromDockerOptions): unknown {
  switch (kind.kind) {
    case 'scalar':
      return readScalar(kind.type, value, path);
    case 'bytes':
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(value))
        throw bad(path, 'base64 data', value);
      return Buffer.from(value, 'base64');
    case 'enum': {
      const name = typeof value === 'string' ? enumFromDocker(kind.type, value) : undefined;
      if (name === undefined) {
        throw new InvalidArgumentError(
          `${path}: invalid value ${JSON.stringify(value)}; want one of ${enumDockerValues(kind.type).join(', ')}`,
          path,
        );
      }
      return name;
    }
    case 'timestamp':
      return readTimestamp(value, path);
    case 'stringList':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        throw bad(path, 'a list of strings', value);
      return { values: value };
    case 'message':
      return readMessage(kind.type, value, path, options);
  }
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint32: [0, 2 ** 32 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint64: [0, Number.MAX_SAFE_INTEGER],
};

function readScalar(type: string, value: unknown, path: string): unknown {
  if (type === 'string') {
    if (typeof value !== 'string') throw bad(path, 'a string', value);
    return value;
  }
  if (type === 'bool') {
    if (typeof value !== 'boolean') throw bad(path, 'true or false', value);
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(path, 'a number', value);
  const range = INTEGER_RANGES[type];
  if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
    throw bad(path, `an integer in [${range[0]}, ${range[1]}]`, value);
  }
  return value;
}

function readTimestamp(value: unknown, path: string): TimestampValue | undefined {
  if (typeof value !== 'string') throw bad(path, 'an RFC3339 time', value);
  if (value === GO_ZERO_TIME) return undefined;
  const t = parseRfc3339(value);
  if (!t) throw bad(path, 'an RFC3339 time', value);
  return t;
}

function bad(path: string, want: string, got: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${path}: want ${want}, got ${JSON.stringify(got) ?? String(got)}`, path);
}

// ---- proto → Docker JSON ----

function writeMessage(type: protobuf.Type, value: object): DockerObject {
  const obj = value as Record<string, unknown>;
  const out: DockerObject = {};
  for (const field of fieldsByJsonName(type).values()) {
    const written = writeField(field, obj[field.name]);
    if (written !== undefined) out[field.jsonName] = written;
  }
  return out;
}

function writeField(field: FieldInfo, value: unknown): DockerJson | undefined {
  if (field.map) {
    const entries = Object.entries(value ?? {});
    if (entries.length === 0) return field.alwaysEmit ? {} : undefined;
    return Object.fromEntries(entries.map(([k, v]) => [k, writeValue(field.value, v, true) ?? null]));
  }
  if (field.repeated) {
    const items = (value ?? []) as unknown[];
    if (items.length === 0) return field.alwaysEmit ? [] : undefined;
    return items.map((v) => writeValue(field.value, v, true) ?? null);
  }
  if (value === undefined || value === null) return undefined;
  return writeValue(field.value, value, field.hasPresence);
}

/** `keepZero`: write zero values too (fields with presence, list and map elements). */
function writeValue(kind: FieldKind, value: unknown, keepZero: boolean): DockerJson | undefined {
  switch (kind.kind) {
    case 'scalar':
      if (!keepZero && (value === 0 || value === false || value === '')) return undefined;
      return kind.type === 'float' ? shortestFloat32(value as number) : (value as DockerJson);
    case 'bytes': {
      const buf = value as Uint8Array;
      if (!keepZero && buf.length === 0) return undefined;
      return Buffer.from(buf).toString('base64');
    }
    case 'enum': {
      const s = enumToDocker(kind.type, value as string);
      return s === '' && !keepZero ? undefined : s;
    }
    case 'timestamp':
      return formatRfc3339(value as TimestampValue);
    case 'stringList':
      return [...(value as { values: string[] }).values];
    case 'message':
      return writeMessage(kind.type, value as object);
  }
}

/** A float32 written as Go writes it: the shortest decimal that reads back as the same float32 (0.1, not 0.10000000149011612). */
function shortestFloat32(value: number): number {
  const f = Math.fround(value);
  for (let digits = 1; digits < 17; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}
