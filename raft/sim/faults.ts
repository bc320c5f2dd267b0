/**
 * The fault schedule of a seed's safety phase. Each seed draws its own fault parameters; every
 * `faultEveryTicks` one fault is injected (or healed). Crashed and paused nodes come back after a
 * drawn delay. Membership changes and leader transfers are faults too: they run while the others hit.
 */
import { ConfChangePendingError, RaftError } from '../core/index.ts';
import type { SimCluster } from './cluster.ts';
import type { SimNode } from './node.ts';
import type { Rng } from './rng.ts';

export interface FaultParams {
  readonly lossRate: number;
  readonly duplicateRate: number;
  readonly maxDelayTicks: number;
  readonly faultEveryTicks: number;
}

export function drawFaultParams(rng: Rng): FaultParams {
  return {
    lossRate: rng.pick([0, 0.01, 0.05, 0.1, 0.2, 0.3]),
    duplicateRate: rng.pick([0, 0.02, 0.1]),
    maxDelayTicks: rng.between(1, 4),
    faultEveryTicks: rng.between(10, 60),
  };
}

type Fault =
  | 'isolateLeader'
  | 'minorityMajority'
  | 'bridge'
  | 'oneWay'
  | 'heal'
  | 'clog'
  | 'crash'
  | 'crashBeforeSync'
  | 'pause'
  | 'transfer'
  | 'membership';

const FAULTS: readonly Fault[] = [
  'isolateLeader',
  'minorityMajority',
  'bridge',
  'oneWay',
  'heal',
  'heal',
  'clog',
  'crash',
  'crashBeforeSync',
  'pause',
  'transfer',
  'membership',
  'membership',
];

export class FaultInjector {
  /** Nodes to bring back: tick → action. */
  private readonly comebacks: { at: number; node: SimNode; kind: 'restart' | 'resume' }[] = [];
  readonly counts = new Map<Fault, number>();

  constructor(
    private readonly sim: SimCluster,
    private readonly rng: Rng,
    readonly params: FaultParams,
  ) {
    sim.network.faults = {
      lossRate: params.lossRate,
      duplicateRate: params.duplicateRate,
      minDelayTicks: 0,
      maxDelayTicks: params.maxDelayTicks,
    };
  }

  /** Called every safety-phase tick. */
  step(): void {
    const sim = this.sim;
    for (const c of this.comebacks.filter((x) => x.at <= sim.now)) {
      if (c.kind === 'restart' && !c.node.alive && !c.node.removed) sim.restart(c.node);
      if (c.kind === 'resume') c.node.paused = false;
    }
    this.comebacks.splice(0, this.comebacks.length, ...this.comebacks.filter((x) => x.at > sim.now));
    if (sim.now % this.params.faultEveryTicks !== 0) return;
    const fault = this.rng.pick(FAULTS);
    this.counts.set(fault, (this.counts.get(fault) ?? 0) + 1);
    this.inject(fault);
  }

  /** Heals everything for the liveness phase. */
  healAll(): void {
    const sim = this.sim;
    sim.network.heal();
    for (const n of sim.list()) {
      n.paused = false;
      n.crashBeforeSync = false;
      if (!n.alive && !n.removed) sim.restart(n);
    }
    this.comebacks.length = 0;
    sim.note('heal all');
  }

  private ids(): string[] {
    return this.sim.members().map((n) => n.id);
  }

  private inject(fault: Fault): void {
    const sim = this.sim;
    const rng = this.rng;
    const ids = this.ids();
    switch (fault) {
      case 'isolateLeader': {
        const lead = sim.leader();
        if (lead)
          sim.network.partition(
            [lead.id],
            ids.filter((i) => i !== lead.id),
          );
        break;
      }
      case 'minorityMajority': {
        const shuffled = rng.shuffle(ids);
        const cut = Math.floor(shuffled.length / 2);
        sim.network.partition(shuffled.slice(0, cut), shuffled.slice(cut));
        break;
      }
      case 'bridge': {
        // Two halves that only one node (the bridge) can talk to both of.
        const [bridge, ...rest] = rng.shuffle(ids);
        if (bridge === undefined) break;
        const half = Math.floor(rest.length / 2);
        sim.network.partition(rest.slice(0, half), rest.slice(half));
        break;
      }
      case 'oneWay': {
        const [a, b] = rng.shuffle(ids);
        if (a !== undefined && b !== undefined) sim.network.block(a, b);
        break;
      }
      case 'heal':
        sim.network.heal();
        sim.network.faults = {
          lossRate: this.params.lossRate,
          duplicateRate: this.params.duplicateRate,
          minDelayTicks: 0,
          maxDelayTicks: this.params.maxDelayTicks,
        };
        break;
      case 'clog': {
        const n = rng.pick(ids);
        sim.network.clog(n, rng.between(3, 15));
        break;
      }
      case 'crash': {
        const n = this.pickAlive();
        if (!n) break;
        sim.crash(n, 'killed');
        this.comebacks.push({ at: sim.now + rng.between(5, 80), node: n, kind: 'restart' });
        break;
      }
      case 'crashBeforeSync': {
        const n = this.pickAlive();
        if (!n) break;
        n.crashBeforeSync = true;
        this.comebacks.push({ at: sim.now + rng.between(10, 80), node: n, kind: 'restart' });
        break;
      }
      case 'pause': {
        const n = this.pickAlive();
        if (!n) break;
        n.paused = true;
        this.comebacks.push({ at: sim.now + rng.between(5, 40), node: n, kind: 'resume' });
        break;
      }
      case 'transfer': {
        const lead = sim.leader();
        if (!lead) break;
        const target = rng.pick(lead.confState.voters);
        lead.raw.transferLeadership(target);
        sim.note(`transfer ${lead.id} → ${target}`);
        break;
      }
      case 'membership':
        this.changeMembership();
        break;
    }
    sim.note(`fault ${fault}: ${sim.network.describe()}`);
  }

  private pickAlive(): SimNode | undefined {
    const alive = this.sim.members().filter((n) => n.alive && !n.paused);
    return alive.length > 0 ? this.rng.pick(alive) : undefined;
  }

  /** Promotes a learner, adds a new learner, or removes a voter — keeping 3 to 5 voters. */
  private changeMembership(): void {
    const sim = this.sim;
    const lead = sim.leader();
    if (!lead) return;
    const { voters, learners } = lead.confState;
    const options: (() => void)[] = [];
    const learner = learners[0];
    if (learner !== undefined && voters.length < 5) {
      options.push(() => lead.raw.proposeConfChange({ type: 'addNode', nodeId: learner }));
    }
    if (learners.length === 0 && voters.length < 5) {
      options.push(() => lead.raw.proposeConfChange({ type: 'addLearner', nodeId: sim.addNode().id }));
    }
    if (voters.length > 3) {
      const victim = this.rng.pick(voters.filter((v) => v !== lead.id));
      options.push(() => lead.raw.proposeConfChange({ type: 'removeNode', nodeId: victim }));
    }
    if (options.length === 0) return;
    try {
      this.rng.pick(options)();
      sim.note(`membership change proposed by ${lead.id}`);
    } catch (err) {
      if (!(err instanceof ConfChangePendingError) && !(err instanceof RaftError)) throw err;
    }
  }
}
