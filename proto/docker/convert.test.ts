import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../shared/errors.ts';
import { canonical } from './canonical.ts';
import { protoRoundTrip, type DockerObject } from './convert.ts';
import { fromDockerAs, toDockerAs, type DockerKind } from './kinds.ts';
import { tracedRequests } from './trace.ts';

const here = dirname(fileURLToPath(import.meta.url));
const reference = join(here, '..', '..', '..', 'shared', 'reference');
const traces = ['docker-cli-28-trace.txt', 'docker-cli-20-trace.txt'].map((f) => join(reference, f));

/** Which proto message each traced request body is. */
const BODY_KINDS: Readonly<Record<string, DockerKind>> = {
  'POST /swarm/init': 'SwarmInitRequest',
  'POST /swarm/join': 'SwarmJoinRequest',
  'POST /swarm/update': 'ClusterSpec',
  'POST /swarm/unlock': 'SwarmUnlockRequest',
  'POST /nodes/{id}/update': 'NodeSpec',
  'POST /services/create': 'ServiceSpec',
  'POST /services/{id}/update': 'ServiceSpec',
  'POST /secrets/create': 'SecretSpec',
  'POST /secrets/{id}/update': 'SecretSpec',
  'POST /configs/create': 'ConfigSpec',
  'POST /configs/{id}/update': 'ConfigSpec',
  'POST /networks/create': 'NetworkCreateRequest',
};

/** JSON → proto object → protobuf binary → proto object → JSON. */
function roundTrip(kind: DockerKind, json: unknown): DockerObject {
  const parsed = fromDockerAs(kind, json, { unknownFields: 'error' });
  return toDockerAs(kind, protoRoundTrip(kind, parsed));
}

const requests = traces.flatMap((file) => tracedRequests(file));
const objects = JSON.parse(
  readFileSync(join(here, '..', 'testdata', 'docker-objects.json'), 'utf8'),
) as Record<DockerKind, DockerObject>;

describe('docker CLI request bodies round-trip through the proto model', () => {
  it('finds the bodies of both traces', () => {
    expect(requests.filter((r) => r.file === traces[0]).length).toBeGreaterThanOrEqual(25);
    expect(requests.filter((r) => r.file === traces[1]).length).toBeGreaterThanOrEqual(25);
  });

  it.each(requests.map((r, i) => [`${i} ${r.method} ${r.route}`, r] as const))('%s', (_name, request) => {
    const kind = BODY_KINDS[`${request.method} ${request.route}`];
    if (!kind) throw new Error(`no proto kind for ${request.method} ${request.route}; add it to BODY_KINDS`);
    expect(roundTrip(kind, request.body)).toEqual(canonical(kind, request.body as DockerObject));
  });
});

describe('API objects round-trip exactly as Docker writes them', () => {
  it.each(Object.entries(objects))('%s', (kind, json) => {
    expect(roundTrip(kind as DockerKind, json)).toEqual(json);
  });

  it('covers every object kind of the swarm', () => {
    const kinds = new Set([
      ...Object.keys(objects),
      ...requests.map((r) => BODY_KINDS[`${r.method} ${r.route}`]),
    ]);
    for (const kind of ['Node', 'Service', 'Task', 'Network', 'Secret', 'Config', 'Cluster'] as const) {
      expect(kinds, kind).toContain(kind);
    }
  });
});

describe('Docker encoding rules', () => {
  const service = objects.Service;

  it('keeps zero values of pointer fields: Replicas 0, Init false, MaxAttempts 0', () => {
    const spec = fromDockerAs('ServiceSpec', service['Spec']);
    expect(spec.mode?.replicated?.replicas).toBe(0);
    expect(spec.taskTemplate?.containerSpec?.init).toBe(false);
    const out = toDockerAs('ServiceSpec', spec) as {
      Mode: unknown;
      TaskTemplate: { ContainerSpec: { Init: unknown } };
    };
    expect(out.Mode).toEqual({ Replicated: { Replicas: 0 } });
    expect(out.TaskTemplate.ContainerSpec.Init).toBe(false);
  });

  it('treats an absent pointer field as unset, not zero', () => {
    const spec = fromDockerAs('ServiceSpec', { Name: 'x', Mode: { Replicated: {} } });
    expect(spec.mode?.replicated?.replicas).toBeUndefined();
    expect(spec.mode?.mode).toBe('replicated');
    expect(toDockerAs('ServiceSpec', spec)).toEqual({ Name: 'x', Labels: {}, Mode: { Replicated: {} } });
  });

  it('reads durations as integer nanoseconds and times as RFC3339 with nanoseconds', () => {
    const svc = fromDockerAs('Service', service);
    expect(svc.spec?.taskTemplate?.containerSpec?.stopGracePeriod).toBe(10_000_000_000);
    expect(svc.updateStatus?.completedAt).toEqual({
      seconds: Date.parse('2026-11-22T10:01:59Z') / 1000,
      nanos: 1,
    });
    const node = fromDockerAs('Node', objects.Node);
    expect(node.createdAt).toEqual({ seconds: Date.parse('2026-11-22T10:00:00Z') / 1000, nanos: 123456789 });
  });

  it('reads Go zero time as unset and writes nothing for it', () => {
    const task = fromDockerAs('Task', { ID: 'a', CreatedAt: '0001-01-01T00:00:00Z' });
    expect(task.createdAt).toBeNull();
    expect(toDockerAs('Task', task)).not.toHaveProperty('CreatedAt');
  });

  it('decodes base64 data to bytes and encodes it back', () => {
    const spec = fromDockerAs('SecretSpec', { Name: 's', Data: 'czNjcjN0' });
    expect(spec.data.toString('utf8')).toBe('s3cr3t');
    expect(toDockerAs('SecretSpec', spec)['Data']).toBe('czNjcjN0');
  });

  it("maps Docker's enum spellings, dashed and underscored", () => {
    const spec = fromDockerAs('ServiceSpec', {
      TaskTemplate: { RestartPolicy: { Condition: 'on-failure' } },
      UpdateConfig: { Order: 'start-first', FailureAction: 'rollback' },
      Mode: { ReplicatedJob: { TotalCompletions: 3 } },
    });
    expect(spec.taskTemplate?.restartPolicy?.condition).toBe('CONDITION_ON_FAILURE');
    expect(spec.updateConfig?.order).toBe('ORDER_START_FIRST');
    const status = fromDockerAs('Service', { UpdateStatus: { State: 'rollback_paused' } });
    expect(status.updateStatus?.state).toBe('STATE_ROLLBACK_PAUSED');
    expect(toDockerAs('Service', status)).toEqual({ UpdateStatus: { State: 'rollback_paused' } });
  });

  it('names the JSON path and the accepted values of a bad enum', () => {
    expect(() =>
      fromDockerAs('ServiceSpec', { TaskTemplate: { RestartPolicy: { Condition: 'sometimes' } } }),
    ).toThrow(
      'ServiceSpec.TaskTemplate.RestartPolicy.Condition: invalid value "sometimes"; want one of none, on-failure, any',
    );
    expect(() => fromDockerAs('ServiceSpec', { Mode: { Replicated: { Replicas: 'x' } } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => fromDockerAs('NodeSpec', { Availability: 'DRAIN' })).toThrow(
      /NodeSpec.Availability: invalid value "DRAIN"/,
    );
  });

  it('names the JSON path of a value of the wrong type', () => {
    expect(() => fromDockerAs('ServiceSpec', { Mode: { Replicated: { Replicas: 'three' } } })).toThrow(
      'ServiceSpec.Mode.Replicated.Replicas: want a number, got "three"',
    );
    expect(() => fromDockerAs('ServiceSpec', { Mode: { Replicated: { Replicas: -1 } } })).toThrow(
      /Replicas: want an integer/,
    );
    expect(() => fromDockerAs('SecretSpec', { Data: 'not base64!' })).toThrow(
      'SecretSpec.Data: want base64 data, got "not base64!"',
    );
    expect(() => fromDockerAs('Task', { CreatedAt: 'yesterday' })).toThrow(
      'Task.CreatedAt: want an RFC3339 time, got "yesterday"',
    );
    expect(() => fromDockerAs('ServiceSpec', [])).toThrow('ServiceSpec: want an object, got []');
  });

  it('ignores unknown fields by default, as Docker does, and reports them when asked', () => {
    expect(fromDockerAs('NodeSpec', { Role: 'worker', Future: 1 }).role).toBe('NODE_ROLE_WORKER');
    expect(() => fromDockerAs('NodeSpec', { Role: 'worker', Future: 1 }, { unknownFields: 'error' })).toThrow(
      'NodeSpec.Future: unknown field',
    );
  });

  it("omits a node's internal attachments, which Docker's Node type does not have", () => {
    const node = fromDockerAs('Node', objects.Node);
    const attached = { ...node, attachments: [{ network: null, addresses: ['10.0.0.2/24'] }] };
    expect(toDockerAs('Node', attached)).toEqual(toDockerAs('Node', node));
    expect(toDockerAs('Node', attached)).not.toHaveProperty('Attachments');
  });

  it('writes lists of lists (tmpfs options) as nested arrays', () => {
    const svc = fromDockerAs('Service', service);
    expect(svc.spec?.taskTemplate?.containerSpec?.mounts[0]?.tmpfsOptions?.options).toEqual([
      { values: ['noexec'] },
      { values: ['uid', '1000'] },
    ]);
  });
});
