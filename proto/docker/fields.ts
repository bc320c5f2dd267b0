/**
 * What the Docker JSON converter needs to know about each proto field, read once from the
 * descriptors: its JSON name, its kind, and whether it carries presence.
 */
import protobuf from 'protobufjs';

/** How a field is written in Docker's JSON. */
export type FieldKind =
  | { readonly kind: 'scalar'; readonly type: string }
  | { readonly kind: 'bytes' }
  | { readonly kind: 'enum'; readonly type: protobuf.Enum }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'stringList' }
  | { readonly kind: 'message'; readonly type: protobuf.Type };

export interface FieldInfo {
  /** camelCase name in the proto object. */
  readonly name: string;
  /** The key in Docker's JSON. */
  readonly jsonName: string;
  readonly repeated: boolean;
  readonly map: boolean;
  /** For maps: the kind of the values (keys are always strings). */
  readonly value: FieldKind;
  /** proto3 `optional`: a zero value is kept, not dropped (Docker's pointer fields). */
  readonly hasPresence: boolean;
  /** Emitted even when empty, because Docker always emits it (e.g. every spec's `Labels`). */
  readonly alwaysEmit: boolean;
}

/**
 * Fields Docker writes even when empty. Kept to what the docker CLI shows in `inspect` output; an
 * omitted empty field decodes identically in Go clients either way.
 */
const ALWAYS_EMIT = new Set([
  'shoal.api.NodeSpec.labels',
  'shoal.api.ServiceSpec.labels',
  'shoal.api.SecretSpec.labels',
  'shoal.api.ConfigSpec.labels',
  'shoal.api.ClusterSpec.labels',
  'shoal.api.NetworkSpec.labels',
  'shoal.api.NetworkResource.labels',
  'shoal.api.NetworkResource.options',
  'shoal.api.NetworkResource.containers',
  'shoal.api.NetworkIPAM.config',
  'shoal.api.NetworkIPAM.options',
]);

/**
 * Fields internal to Swarm that Docker's types do not have: never written to Docker JSON and, like
 * any key Docker does not know, not read from it. `Node.attachments` holds the node's own endpoints
 * (Swarm's ingress-sbox and `lb-<network>` addresses), which Docker's Node type does not show.
 */
const INTERNAL = new Set(['shoal.api.Node.attachments']);

const cache = new Map<protobuf.Type, ReadonlyMap<string, FieldInfo>>();

/** The fields of `type` that Docker's JSON has (all but `INTERNAL`), keyed by their Docker JSON name. */
export function fieldsByJsonName(type: protobuf.Type): ReadonlyMap<string, FieldInfo> {
  let fields = cache.get(type);
  if (!fields) {
    const shown = type.fieldsArray.filter((f) => !INTERNAL.has(qualifiedName(f)));
    fields = new Map(shown.map((f) => [jsonNameOf(f), describe(f)]));
    cache.set(type, fields);
  }
  return fields;
}

function describe(field: protobuf.Field): FieldInfo {
  field.resolve();
  return {
    name: field.name,
    jsonName: jsonNameOf(field),
    repeated: field.repeated,
    map: field.map,
    value: kindOf(field),
    hasPresence: field.options?.['proto3_optional'] === true,
    alwaysEmit: ALWAYS_EMIT.has(qualifiedName(field)),
  };
}

/** `shoal.api.Node.attachments`: the field's message and name, as `ALWAYS_EMIT` and `INTERNAL` list them. */
function qualifiedName(field: protobuf.Field): string {
  return `${field.parent?.fullName.slice(1) ?? ''}.${field.name}`;
}

function kindOf(field: protobuf.Field): FieldKind {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) return { kind: 'enum', type: resolved };
  if (resolved instanceof protobuf.Type) {
    if (resolved.fullName === '.google.protobuf.Timestamp') return { kind: 'timestamp' };
    if (resolved.fullName === '.shoal.api.StringList') return { kind: 'stringList' };
    return { kind: 'message', type: resolved };
  }
  if (field.type === 'bytes') return { kind: 'bytes' };
  return { kind: 'scalar', type: field.type };
}

/** `json_name` where given, else the field name in PascalCase (`memory_bytes` → `MemoryBytes`). */
function jsonNameOf(field: protobuf.Field): string {
  const explicit: unknown = field.options?.['json_name'];
  if (typeof explicit === 'string') return explicit;
  return field.name.charAt(0).toUpperCase() + field.name.slice(1);
}

/** Enums whose Docker spelling uses dashes where the proto name has underscores (`on-failure`). */
const DASHED_ENUMS = new Set(['.shoal.api.RestartPolicy.Condition', '.shoal.api.UpdateConfig.Order']);

/** `RestartPolicy.Condition` `CONDITION_ON_FAILURE` ↔ Docker's `on-failure`; `*_UNSPECIFIED` ↔ `""`. */
export function enumPrefix(type: protobuf.Enum): string {
  return `${type.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_`;
}

export function enumToDocker(type: protobuf.Enum, name: string): string {
  const bare = name.slice(enumPrefix(type).length).toLowerCase();
  if (bare === 'unspecified') return '';
  return DASHED_ENUMS.has(type.fullName) ? bare.replaceAll('_', '-') : bare;
}

/** The enum value name for a Docker string, or undefined when it is not one of the enum's values. */
export function enumFromDocker(type: protobuf.Enum, docker: string): string | undefined {
  if (docker === '') return `${enumPrefix(type)}UNSPECIFIED`;
  if (docker !== docker.toLowerCase() || docker.includes('unspecified')) return undefined;
  const dashed = DASHED_ENUMS.has(type.fullName);
  if (dashed ? docker.includes('_') : docker.includes('-')) return undefined;
  const name = enumPrefix(type) + docker.replaceAll('-', '_').toUpperCase();
  return name in type.values ? name : undefined;
}

/** The Docker spellings an enum accepts, for error messages. */
export function enumDockerValues(type: protobuf.Enum): string[] {
  return Object.keys(type.values)
    .map((n) => enumToDocker(type, n))
    .filter((s) => s !== '');
}
