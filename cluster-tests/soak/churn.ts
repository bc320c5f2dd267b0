/**
 * Steady service churn through whichever manager answers, recording what was acknowledged (2xx).
 * A write that failed or timed out may or may not have landed: its service becomes "unknown" in that
 * respect and is never held against the cluster.
 */
import type { HostCluster } from '../hosts/cluster.ts';
import type { Host } from '../hosts/host.ts';
import type { Rng } from './prng.ts';

/** What the churn knows of one service it wrote. */
export interface ServiceModel {
  readonly name: string;
  /** `sleep <n>`, unique per service, to find its workloads. */
  readonly cmd: readonly string[];
  /** The secret it mounts (name and value), if any. */
  readonly secret?: { readonly name: string; readonly value: string };
  /** present: created acked, not removed; gone: removal acked; maybe: an unacknowledged create/remove. */
  existence: 'present' | 'gone' | 'maybe';
  /** The leader answered 404 for it: no longer a churn target (still checked when present). */
  notFound?: boolean;
  /** The last acknowledged replicas and generation; undefined while an update is unknown. */
  spec: { replicas: number; gen: number } | undefined;
  /** What the next update builds on. */
  replicas: number;
  gen: number;
}

export interface ChurnStats {
  attempted: number;
  acked: number;
  failed: number;
  byOp: Record<string, { attempted: number; acked: number }>;
}

const MAX_SERVICES = 6;
const WRITE_TIMEOUT_MS = 8000;

export class Churn {
  readonly services: ServiceModel[] = [];
  readonly stats: ChurnStats = { attempted: 0, acked: 0, failed: 0, byOp: {} };
  private n = 0;
  /** The HTTP status of the last write (0: no answer). */
  private lastStatus = 0;

  constructor(
    private readonly c: HostCluster,
    private readonly r: Rng,
    private readonly log: (msg: string) => void,
  ) {}

  /** The first manager (from a random start) whose API answers a ping, or undefined. */
  private async via(): Promise<Host | undefined> {
    const ms = this.c.managers();
    const start = this.r.int(0, ms.length - 1);
    for (let i = 0; i < ms.length; i++) {
      const h = ms[(start + i) % ms.length];
      if (h?.running() && (await h.ping(500)) === 200) return h;
    }
    return undefined;
  }

  /** One write: create, update, scale or remove, chosen by the generator. */
  async step(): Promise<void> {
    const live = this.services.filter((s) => s.existence !== 'gone' && s.notFound !== true);
    const roll = this.r.next();
    const target = live.length > 0 ? this.r.pick(live) : undefined;
    const via = await this.via();
    if (!via) return;
    if (!target || (live.length < MAX_SERVICES && roll < 0.3)) return this.create(via);
    if (roll < 0.6) return this.update(via, target, target.replicas, target.gen + 1, 'update');
    if (roll < 0.85) return this.update(via, target, this.r.int(0, 4), target.gen, 'scale');
    return this.remove(via, target);
  }

  private async write(op: string, via: Host, method: string, path: string, body?: unknown): Promise<boolean> {
    this.stats.attempted++;
    this.lastStatus = 0;
    const o = (this.stats.byOp[op] ??= { attempted: 0, acked: 0 });
    o.attempted++;
    try {
      const res = await via.api(method, path, body, WRITE_TIMEOUT_MS);
      this.lastStatus = res.status;
      if (res.status >= 200 && res.status < 300) {
        this.stats.acked++;
        o.acked++;
        return true;
      }
      this.stats.failed++;
      this.log(`  write ${op} via ${via.name}: ${res.status} ${res.body.trim().slice(0, 160)}`);
    } catch (err) {
      this.stats.failed++;
      this.log(`  write ${op} via ${via.name}: ${String(err).slice(0, 160)}`);
    }
    return false;
  }

  private async create(via: Host): Promise<void> {
    const i = ++this.n;
    const name = `soak-${i}`;
    const withSecret = this.r.next() < 0.5;
    const replicas = this.r.int(1, 4);
    let secret: ServiceModel['secret'];
    let secretId: string | undefined;
    if (withSecret) {
      const s = { name: `soak-secret-${i}`, value: `soak-value-${i}-${this.r.int(1e8, 9e8)}` };
      // the secret itself is set-up, not churn: retried until it lands
      for (let tries = 0; tries < 5 && secretId === undefined; tries++) {
        const v = (await this.via()) ?? via;
        const res = await v
          .api(
            'POST',
            '/v1.47/secrets/create',
            { Name: s.name, Data: Buffer.from(s.value).toString('base64') },
            WRITE_TIMEOUT_MS,
          )
          .catch(() => undefined);
        if (res?.status === 201) secretId = res.json<{ ID: string }>().ID;
        else if (res?.status === 409) {
          const got = await v.api('GET', `/v1.47/secrets/${s.name}`, undefined, 3000).catch(() => undefined);
          if (got?.status === 200) secretId = got.json<{ ID: string }>().ID;
        }
      }
      if (secretId === undefined) return;
      secret = s;
    }
    const cmd = ['sleep', String(2000 + i)];
    const model: ServiceModel = {
      name,
      cmd,
      ...(secret ? { secret } : {}),
      existence: 'maybe',
      spec: undefined,
      replicas,
      gen: 0,
    };
    this.services.push(model);
    const ok = await this.write(
      'create',
      via,
      'POST',
      '/v1.47/services/create',
      serviceSpec(model, secretId),
    );
    if (ok) {
      model.existence = 'present';
      model.spec = { replicas, gen: 0 };
    }
    this.log(
      `  create ${name} replicas=${replicas}${secret ? ` secret=${secret.name}` : ''} via ${via.name}: ${ok ? 'acked' : 'unknown'}`,
    );
  }

  private async update(via: Host, s: ServiceModel, replicas: number, gen: number, op: string): Promise<void> {
    const got = await via.api('GET', `/v1.47/services/${s.name}`, undefined, 3000).catch(() => undefined);
    if (got?.status !== 200) return; // not a write: nothing sent
    const cur = got.json<{ Version: { Index: number }; Spec: ServiceJsonSpec }>();
    const spec = cur.Spec;
    spec.Mode = { Replicated: { Replicas: replicas } };
    spec.TaskTemplate.ContainerSpec.Env = [`GEN=${gen}`];
    const ok = await this.write(
      op,
      via,
      'POST',
      `/v1.47/services/${s.name}/update?version=${cur.Version.Index}`,
      spec,
    );
    if (ok) {
      s.spec = { replicas, gen };
      s.replicas = replicas;
      s.gen = gen;
      if (s.existence === 'maybe') s.existence = 'present';
    } else {
      // a version conflict (4xx) did not land; anything else might have
      s.spec = undefined;
      s.replicas = replicas;
      s.gen = Math.max(s.gen, gen);
    }
    this.log(
      `  ${op} ${s.name} replicas=${replicas} gen=${gen} via ${via.name}: ${ok ? 'acked' : 'unknown'}`,
    );
  }

  private async remove(via: Host, s: ServiceModel): Promise<void> {
    const ok = await this.write('remove', via, 'DELETE', `/v1.47/services/${s.name}`);
    s.existence = ok ? 'gone' : 'maybe';
    if (!ok && this.lastStatus === 404) s.notFound = true;
    s.spec = ok ? s.spec : undefined;
    this.log(`  remove ${s.name} via ${via.name}: ${ok ? 'acked' : 'unknown'}`);
  }
}

interface ServiceJsonSpec {
  Mode: unknown;
  TaskTemplate: { ContainerSpec: { Env?: string[] } };
}

function serviceSpec(s: ServiceModel, secretId: string | undefined): unknown {
  return {
    Name: s.name,
    TaskTemplate: {
      ContainerSpec: {
        Image: 'busybox',
        Command: s.cmd,
        Env: [`GEN=${s.gen}`],
        // `sleep` as pid 1 of its namespace ignores SIGTERM: 1 s grace, not 10 s
        StopGracePeriod: 1_000_000_000,
        ...(s.secret && secretId
          ? {
              Secrets: [
                {
                  SecretID: secretId,
                  SecretName: s.secret.name,
                  File: { Name: s.secret.name, UID: '0', GID: '0', Mode: 0o444 },
                },
              ],
            }
          : {}),
      },
    },
    Mode: { Replicated: { Replicas: s.replicas } },
    UpdateConfig: { Parallelism: 2, Delay: 0, FailureAction: 'continue' },
  };
}
