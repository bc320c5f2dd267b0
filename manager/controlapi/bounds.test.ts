/**
 * The bounds the control API puts on absurd input (found by cluster-tests/api-fuzz.test.ts): replica
 * and job counts, the encoded size of a spec, network names, port numbers, filter values.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../proto/shared/errors.ts';
import { MemoryStore } from '../store/memory.ts';
import { ControlApi } from './controlapi.ts';
import { MAX_JOB_COMPLETIONS, MAX_REPLICAS, MAX_SPEC_BYTES } from './validate.ts';

const api = (): ControlApi => new ControlApi({ store: MemoryStore.local() });

async function refused(p: Promise<unknown>): Promise<Error> {
  const r = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(r instanceof InvalidArgumentError)) throw new Error(`expected InvalidArgument, got ${String(r)}`);
  return r;
}

const container = { containerSpec: { image: 'nginx' } };

describe('bounds', () => {
  it(`takes up to ${MAX_REPLICAS} replicas and refuses more, naming the field`, async () => {
    const a = api();
    const spec = (replicas: number) => ({
      name: 'web',
      taskTemplate: container,
      mode: { replicated: { replicas } },
    });
    await a.createService({ spec: spec(MAX_REPLICAS) });
    const e = await refused(a.createService({ spec: { ...spec(1_000_000), name: 'more' } }));
    expect(e.message).toBe(
      `Spec.Mode.Replicated.Replicas: replicas must be at most ${MAX_REPLICAS} (got 1000000)`,
    );
  });

  it('bounds replicated jobs too', async () => {
    const job = (maxConcurrent: number, totalCompletions: number) => ({
      spec: {
        name: 'job',
        taskTemplate: container,
        mode: { replicatedJob: { maxConcurrent, totalCompletions } },
      },
    });
    expect((await refused(api().createService(job(MAX_REPLICAS + 1, 1)))).message).toMatch(
      /^Spec\.Mode\.ReplicatedJob\.MaxConcurrent: maxconcurrent must be at most/,
    );
    expect((await refused(api().createService(job(1, MAX_JOB_COMPLETIONS + 1)))).message).toMatch(
      /^Spec\.Mode\.ReplicatedJob\.TotalCompletions: totalcompletions must be at most/,
    );
  });

  it('refuses a spec heavier than MAX_SPEC_BYTES encoded, whatever the kind', async () => {
    const labels = { big: 'x'.repeat(MAX_SPEC_BYTES) };
    const a = api();
    for (const p of [
      a.createService({ spec: { name: 'web', labels, taskTemplate: container } }),
      a.createSecret({ spec: { name: 's', labels, data: Buffer.from('x') } }),
      a.createConfig({ spec: { name: 'c', labels, data: Buffer.from('x') } }),
      a.createNetwork({ spec: { name: 'n', labels } }),
    ])
      expect((await refused(p)).message).toMatch(/^Spec: the spec is \d+ bytes encoded; at most 1572864/);
  });

  it('refuses network names with control or format characters, or longer than 255', async () => {
    for (const name of ['a\u0000b', '\u202eevil', 'x'.repeat(256)])
      expect((await refused(api().createNetwork({ spec: { name } }))).message).toMatch(/^Spec\.Name: /);
  });

  it('names the port field that is out of range', async () => {
    const ports = (p: object) => ({
      spec: { name: 'web', taskTemplate: container, endpointSpec: { ports: [p] } },
    });
    expect((await refused(api().createService(ports({ targetPort: 0, publishedPort: 8080 })))).message).toBe(
      'Spec.EndpointSpec.Ports[0].TargetPort: port 0 is out of range (want 1 to 65535)',
    );
    expect(
      (await refused(api().createService(ports({ targetPort: 80, publishedPort: 70000 })))).message,
    ).toMatch(/^Spec\.EndpointSpec\.Ports\[0\]\.PublishedPort: port 70000 is out of range/);
  });

  it('refuses an unknown service mode filter, and keys that are Object.prototype names', async () => {
    const a = api();
    const f = (key: string, v: string) => {
      const filters = Object.create(null) as Record<string, { values: string[] }>;
      filters[key] = { values: [v] };
      return { filters: { filters } };
    };
    expect((await refused(a.listServices(f('mode', 'sideways')))).message).toMatch(
      /^invalid filter 'mode=sideways'/,
    );
    expect((await refused(a.listServices(f('mode', 'toString')))).message).toMatch(
      /^invalid filter 'mode=toString'/,
    );
    expect((await refused(a.listServices(f('__proto__', 'x')))).message).toBe(`invalid filter '__proto__'`);
  });
});
