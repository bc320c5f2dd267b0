/**
 * `npm run soak -- --minutes 10 --seed S`: a swarm of hosts (network namespaces, one shoald each, see
 * hosts/README.md) under steady service churn, with a random fault from the seed every 10 s (a
 * manager partitioned from the others both ways or one way, 30% packet loss on a host, a node
 * SIGKILLed and restarted, a node SIGSTOPped then continued, the leader SIGKILLed and restarted), each
 * healed before the next. At the end everything is healed and the invariants are checked: every
 * service converges, one RUNNING task per slot, every acknowledged write is there (a write that failed
 * may or may not have landed: it only makes that service uncertain until the next acknowledged one),
 * a secret's value is only on hosts running a task that uses it, every manager answers. Not part of the
 * default test run. The same seed gives the same sequence of faults and writes.
 * Last line: `RESULT soak minutes=… seed=… faults=… writes_acked=… invariants=ok|FAILED(…)`.
 */
import { HostCluster } from './hosts/cluster.ts';
import type { Host } from './hosts/host.ts';
import { filesContaining } from './harness.ts';

interface Args {
  readonly minutes: number;
  readonly seed: number;
}

function parseArgs(argv: readonly string[]): Args {
  let minutes = 10;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = Number(argv[i + 1]);
    if (a === '--minutes' && v > 0) minutes = v;
    else if (a === '--seed' && Number.isInteger(v)) seed = v;
    else throw new Error(`soak: unknown or bad argument ${JSON.stringify(a)} (want --minutes N --seed S)`);
    i++;
  }
  return { minutes, seed };
}

/** mulberry32: a small seeded PRNG (deterministic faults and churn for one seed). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SECRET = 'soak-secret';
const SECRET_VALUE = 'soak-value-5c1d9e';

interface Want {
  exists: boolean;
  replicas: number;
  gen: number;
  secret: boolean;
  /** A write to it failed since the last acknowledged one: its state is not known. */
  uncertain: boolean;
}

interface TaskJson {
  ID: string;
  NodeID: string;
  Slot?: number;
  DesiredState: string;
  Status: { State: string };
  Spec: { ContainerSpec?: { Env?: string[]; Secrets?: unknown[] } };
}

function spec(name: string, w: Want): Record<string, unknown> {
  return {
    Name: name,
    TaskTemplate: {
      ContainerSpec: {
        Image: 'busybox',
        Command: ['sleep', '1005'],
        Env: [`GEN=${w.gen}`],
        StopGracePeriod: 500_000_000,
        ...(w.secret
          ? { Secrets: [{ SecretName: SECRET, File: { Name: SECRET, UID: '0', GID: '0', Mode: 292 } }] }
          : {}),
      },
      RestartPolicy: { Delay: 200_000_000 },
    },
    Mode: { Replicated: { Replicas: w.replicas } },
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const why = HostCluster.unavailable();
  if (why) {
    console.error(`soak: cannot run here: ${why}`);
    return 2;
  }
  const rand = prng(args.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const t0 = Date.now();
  const at = (): string => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s`;
  console.log(`soak: seed ${args.seed}, ${args.minutes} min`);
  const c = await HostCluster.start({ managers: 3, workers: 2, tickMs: 50, heartbeatMs: 1000 });
  let stopping = false;
  const onSignal = (): void => {
    stopping = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const figures = { attempted: 0, acked: 0, failed: 0, leaderChanges: 0, maxNoLeaderMs: 0 };
  const faults = new Map<string, number>();
  const want = new Map<string, Want>();
  const failures: string[] = [];
  try {
    console.log(`${at()} cluster ${c.prefix} up`);
    const first = await c.leader();
    const sec = await first.api('POST', '/v1.47/secrets/create', {
      Name: SECRET,
      Data: Buffer.from(SECRET_VALUE).toString('base64'),
    });
    if (sec.status !== 201) throw new Error(`secret: ${sec.status} ${sec.body}`);

    // Leader watch: changes and the longest time without one.
    let lastLeader = first.name;
    let noLeaderSince: number | undefined;
    const watch = setInterval(() => {
      const m = c.managers().find((x) => x.running());
      if (!m) return;
      void c.leaderSeenBy(m, 1000).then((l) => {
        if (!l) {
          noLeaderSince ??= Date.now();
          return;
        }
        if (noLeaderSince !== undefined)
          figures.maxNoLeaderMs = Math.max(figures.maxNoLeaderMs, Date.now() - noLeaderSince);
        noLeaderSince = undefined;
        if (l.name !== lastLeader) {
          figures.leaderChanges++;
          lastLeader = l.name;
        }
      });
    }, 250);

    // Churn: one write at a time through a random running manager.
    let churning = true;
    const churn = (async () => {
      let k = 0;
      while (churning && !stopping) {
        const names = [...want.keys()];
        const op =
          names.length < 3 ? 'create' : pick(['create', 'update', 'scale', 'remove', 'update', 'scale']);
        const via = pick(c.managers().filter((m) => m.running()));
        if (!via) continue;
        figures.attempted++;
        const name = op === 'create' ? `svc-${++k}` : pick(names);
        const cur = want.get(name);
        const next: Want =
          op === 'create'
            ? {
                exists: true,
                replicas: 1 + Math.floor(rand() * 3),
                gen: 1,
                secret: rand() < 0.4,
                uncertain: false,
              }
            : op === 'update'
              ? { ...(cur as Want), exists: true, gen: (cur?.gen ?? 0) + 1, uncertain: false }
              : op === 'scale'
                ? { ...(cur as Want), exists: true, replicas: 1 + Math.floor(rand() * 3), uncertain: false }
                : { ...(cur as Want), exists: false, uncertain: false };
        let ok = false;
        try {
          if (op === 'create') {
            ok = (await via.api('POST', '/v1.47/services/create', spec(name, next), 15_000)).status === 201;
          } else if (op === 'remove') {
            ok = (await via.api('DELETE', `/v1.47/services/${name}`, undefined, 15_000)).status === 200;
          } else {
            const g = await via.api('GET', `/v1.47/services/${name}`, undefined, 15_000);
            if (g.status === 200) {
              const v = g.json<{ Version: { Index: number } }>().Version.Index;
              const r = await via.api(
                'POST',
                `/v1.47/services/${name}/update?version=${v}`,
                spec(name, next),
                15_000,
              );
              ok = r.status === 200;
            }
          }
        } catch {
          ok = false;
        }
        if (ok) {
          figures.acked++;
          want.set(name, next);
        } else {
          figures.failed++;
          // A refused update of a service never created, or removed, leaves it as it was.
          if (cur) cur.uncertain = true;
          else if (op === 'create') want.set(name, { ...next, uncertain: true });
        }
        await new Promise((r) => setTimeout(r, 300 + rand() * 700));
      }
    })();

    // Faults every 10 s, each healed before the next.
    const end = t0 + args.minutes * 60_000;
    while (Date.now() < end && !stopping) {
      await new Promise((r) => setTimeout(r, 5_000));
      const kind = pick(['partition', 'one-way', 'loss', 'kill', 'pause', 'kill-leader']);
      faults.set(kind, (faults.get(kind) ?? 0) + 1);
      const managers = c.managers();
      const all = [...managers, ...c.workers()];
      let target: Host = pick(all);
      if (kind === 'partition' || kind === 'one-way') target = pick(managers);
      if (kind === 'kill-leader') target = await c.leader().catch(() => pick(managers));
      console.log(`${at()} fault ${kind} on ${target.name}`);
      const others = managers.filter((m) => m !== target);
      if (kind === 'partition') c.partition([target], others);
      else if (kind === 'one-way') c.partition([target], others, { oneWay: true });
      else if (kind === 'loss') c.loss(target, 30);
      else if (kind === 'kill' || kind === 'kill-leader') await c.kill(target);
      else c.pause(target);
      await new Promise((r) => setTimeout(r, 4_000));
      if (kind === 'partition' || kind === 'one-way') c.heal();
      else if (kind === 'loss') c.loss(target, 0);
      else if (kind === 'kill' || kind === 'kill-leader') await target.start();
      else c.resume(target);
      console.log(`${at()} healed ${kind} on ${target.name}`);
    }
    churning = false;
    await churn;
    clearInterval(watch);

    // Heal everything and check.
    c.heal();
    for (const h of [...c.managers(), ...c.workers()]) {
      if (!h.running()) await h.start();
      c.resume(h);
      c.loss(h, 0);
    }
    const healedAt = Date.now();
    const lead = await (async (): Promise<Host> => {
      for (;;) {
        const l = await c.leader().catch(() => undefined);
        if (l) return l;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const names = new Map<string, string>();
    const check = async (): Promise<string[]> => {
      const problems: string[] = [];
      const nodes = (await lead.api('GET', '/v1.47/nodes')).json<
        { ID: string; Description?: { Hostname?: string } }[]
      >();
      for (const n of nodes) names.set(n.ID, n.Description?.Hostname ?? '?');
      const services = (await lead.api('GET', '/v1.47/services')).json<{ Spec: { Name: string } }[]>();
      const have = new Set(services.map((s) => s.Spec.Name));
      for (const [name, w] of want) {
        if (w.uncertain && !have.has(name)) continue;
        if (!w.uncertain && w.exists !== have.has(name)) {
          problems.push(
            `${name}: acknowledged ${w.exists ? 'present' : 'removed'}, found ${have.has(name) ? 'present' : 'absent'}`,
          );
          continue;
        }
        if (!have.has(name)) continue;
        const q = encodeURIComponent(JSON.stringify({ service: [name] }));
        const tasks = (await lead.api('GET', `/v1.47/tasks?filters=${q}`)).json<TaskJson[]>();
        const running = tasks.filter((t) => t.Status.State === 'running');
        const slots = new Set(running.map((t) => t.Slot));
        if (slots.size !== running.length) problems.push(`${name}: two running tasks for one slot`);
        if (!w.uncertain) {
          if (running.length !== w.replicas)
            problems.push(`${name}: ${running.length} running, want ${w.replicas}`);
          if (running.some((t) => !(t.Spec.ContainerSpec?.Env ?? []).includes(`GEN=${w.gen}`)))
            problems.push(`${name}: a running task is not on generation ${w.gen}`);
        }
      }
      return problems;
    };
    let problems: string[] = [];
    const deadline = Date.now() + 120_000;
    for (;;) {
      problems = await check().catch((err: unknown) => [String(err)]);
      if (problems.length === 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const convergedMs = Date.now() - healedAt;
    failures.push(...problems);
    // Secrets only where a running task uses them.
    const tasks = (await lead.api('GET', '/v1.47/tasks')).json<TaskJson[]>();
    const usedOn = new Set(
      tasks
        .filter((t) => t.Status.State === 'running' && (t.Spec.ContainerSpec?.Secrets ?? []).length > 0)
        .map((t) => names.get(t.NodeID) ?? '?'),
    );
    for (const h of [...c.managers(), ...c.workers()]) {
      if (usedOn.has(h.name)) continue;
      for (let i = 0; ; i++) {
        const found = filesContaining(h.dataRoot, SECRET_VALUE);
        if (found.length === 0) break;
        if (i > 40) {
          failures.push(`${h.name} holds the secret's value with no task using it: ${found.join(', ')}`);
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    for (const m of c.managers()) {
      const r = await m.api('GET', '/v1.47/services').catch(() => undefined);
      if (r?.status !== 200) failures.push(`${m.name} does not answer: ${r?.status ?? 'no answer'}`);
    }
    const faultCount = [...faults.values()].reduce((a, b) => a + b, 0);
    console.log(`faults: ${[...faults].map(([k, n]) => `${k}=${n}`).join(' ')}`);
    console.log(
      `writes: attempted=${figures.attempted} acked=${figures.acked} failed=${figures.failed}; ` +
        `services tracked=${want.size} uncertain=${[...want.values()].filter((w) => w.uncertain).length}`,
    );
    console.log(
      `leader changes=${figures.leaderChanges}; longest without a leader ${figures.maxNoLeaderMs} ms`,
    );
    console.log(`converged ${convergedMs} ms after healing`);
    for (const f of failures) console.log(`INVARIANT FAILED: ${f}`);
    console.log(
      `RESULT soak minutes=${args.minutes} seed=${args.seed} faults=${faultCount} writes_acked=${figures.acked} ` +
        `invariants=${failures.length === 0 ? 'ok' : `FAILED(${failures.length})`}`,
    );
    return failures.length === 0 ? 0 : 1;
  } finally {
    await c.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
