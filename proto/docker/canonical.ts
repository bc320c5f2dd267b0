/**
 * The canonical form of a Docker JSON value: what is left once the parts Docker's own Go types treat as
 * "not set" are dropped — nulls, empty lists and maps, Go's zero time, and zero values of fields without
 * presence — and the fields Docker always writes are added. toDocker(fromDocker(x)) must equal
 * canonical(x) for every request body the docker CLI sends (the round-trip tests).
 */
import { messageType } from '../load.ts';
import type { DockerJson, DockerObject } from './convert.ts';
import { fieldsByJsonName, type FieldInfo, type FieldKind } from './fields.ts';
import { GO_ZERO_TIME } from './time.ts';

export function canonical(typeName: string, json: DockerObject): DockerObject {
  return canonicalMessage(typeName.includes('.') ? typeName : `shoal.api.${typeName}`, json);
}

function canonicalMessage(fullName: string, json: DockerObject): DockerObject {
  const fields = fieldsByJsonName(messageType(fullName));
  const out: DockerObject = {};
  for (const [key, value] of Object.entries(json)) {
    const field = fields.get(key);
    if (!field) throw new Error(`${fullName}: no field for JSON key ${key}`);
    const v = canonicalField(field, value);
    if (v !== undefined) out[key] = v;
  }
  for (const field of fields.values()) {
    if (field.alwaysEmit && !(field.jsonName in out)) out[field.jsonName] = field.map ? {} : [];
  }
  return out;
}

function canonicalField(field: FieldInfo, value: DockerJson): DockerJson | undefined {
  if (value === null) return undefined;
  if (field.map) {
    const entries = Object.entries(value as DockerObject);
    if (entries.length === 0) return field.alwaysEmit ? {} : undefined;
    return Object.fromEntries(entries.map(([k, v]) => [k, canonicalValue(field.value, v, true) ?? null]));
  }
  if (field.repeated) {
    const items = value as DockerJson[];
    if (items.length === 0) return field.alwaysEmit ? [] : undefined;
    return items.map((v) => canonicalValue(field.value, v, true) ?? null);
  }
  return canonicalValue(field.value, value, field.hasPresence);
}

function canonicalValue(kind: FieldKind, value: DockerJson, keepZero: boolean): DockerJson | undefined {
  switch (kind.kind) {
    case 'scalar':
    case 'bytes':
    case 'enum':
      return !keepZero && (value === 0 || value === false || value === '') ? undefined : value;
    case 'timestamp':
      return value === GO_ZERO_TIME ? undefined : value;
    case 'stringList':
      return value;
    case 'message':
      return canonicalMessage(kind.type.fullName.slice(1), value as DockerObject);
  }
}
