/**
 * The soak's faults: one at a time, healed before the next, never more than leaves a majority of
 * managers able to recover (a partition cuts one manager at most; one daemon is down at a time).
 */
import type { HostCluster } from '../hosts/cluster.ts';
import type { Host } from '../hosts/host.ts';
import type { Rng } from './prng.ts';

export const FAULT_KINDS = [
  'partition-minority',
  'partition-one-way',
  'loss',
  'kill-restart',
  'pause-resume',
  'kill-leader',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Injects one fault chosen by `r`, holds it `holdMs`, heals it; returns a description. */
export async function injectFault(c: HostCluster, r: Rng, log: (msg: string) => void): Promise<FaultKind> {
  const kind = r.pick(FAULT_KINDS);
  const holdMs = r.int(2000, 5000);
  const host = r.pick(c.hosts);
  const others = (h: readonly Host[]): Host[] => c.hosts.filter((x) => !h.includes(x));
  switch (kind) {
    case 'partition-minority': {
      // one manager, sometimes with a worker: the other two managers keep a majority
      const m = r.pick(c.managers());
      const side = r.next() < 0.5 ? [m] : [m, r.pick(c.workers())];
      log(`fault partition-minority [${side.map((h) => h.name).join(',')}] for ${holdMs} ms`);
      c.partition(side, others(side));
      await sleep(holdMs);
      c.heal();
      break;
    }
    case 'partition-one-way': {
      const out = r.next() < 0.5;
      log(`fault partition-one-way ${out ? `${host.name}->rest` : `rest->${host.name}`} for ${holdMs} ms`);
      if (out) c.partition([host], others([host]), { oneWay: true });
      else c.partition(others([host]), [host], { oneWay: true });
      await sleep(holdMs);
      c.heal();
      break;
    }
    case 'loss': {
      const pct = r.int(10, 40);
      log(`fault loss ${pct}% on ${host.name} for ${holdMs} ms`);
      c.loss(host, pct);
      await sleep(holdMs);
      c.loss(host, 0);
      break;
    }
    case 'kill-restart': {
      log(`fault kill-restart ${host.name} (down ${holdMs} ms)`);
      await c.kill(host);
      await sleep(holdMs);
      await host.start();
      break;
    }
    case 'pause-resume': {
      log(`fault pause-resume ${host.name} for ${holdMs} ms`);
      c.pause(host);
      await sleep(holdMs);
      c.resume(host);
      break;
    }
    case 'kill-leader': {
      const leader = await c.leader().catch(() => undefined);
      const victim = leader ?? r.pick(c.managers());
      log(
        `fault kill-leader ${victim.name}${leader ? '' : ' (no agreed leader: a random manager)'} (down ${holdMs} ms)`,
      );
      await c.kill(victim);
      await sleep(holdMs);
      await victim.start();
      break;
    }
  }
  return kind;
}
