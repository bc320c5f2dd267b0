import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { protoRoot } from './files.ts';
import { generate } from './scripts/generate.ts';
import { grpcServices, messageType } from './load.ts';

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('proto/gen', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'shoal-proto-gen-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('is exactly what `npm run proto` generates from the .proto files (run it after editing them)', () => {
    generate(fresh);
    const committed = tree(join(protoRoot, 'gen'));
    const regenerated = tree(fresh);
    expect([...committed.keys()].sort()).toEqual([...regenerated.keys()].sort());
    for (const [file, content] of regenerated) expect(committed.get(file), file).toBe(content);
  });
});

describe('proto definitions', () => {
  it('define every gRPC service the cluster needs', () => {
    const api = grpcServices().shoal.api;
    for (const service of [
      api.Raft,
      api.RaftMembership,
      api.CA,
      api.NodeCA,
      api.Dispatcher,
      api.Control,
      api.Logs,
      api.LogBroker,
    ]) {
      expect(typeof service).toBe('function');
      expect(Object.keys(service.service).length).toBeGreaterThan(0);
    }
    expect(Object.keys(api.Control.service)).toEqual(
      expect.arrayContaining(['CreateService', 'UpdateCluster', 'RemoveSecret', 'ListTasks']),
    );
  });

  it('carry a store transaction through protobuf binary unchanged', () => {
    const type = messageType('InternalRaftRequest');
    const request = {
      id: 7,
      actions: [
        {
          kind: 'KIND_CREATE',
          target: { secret: { id: 'abc', spec: { name: 's', data: Buffer.from('x') } } },
        },
      ],
    };
    const decoded = type.toObject(type.decode(type.encode(type.fromObject(request)).finish()), {
      enums: String,
      longs: Number,
    });
    expect(decoded).toEqual(request);
  });
});
