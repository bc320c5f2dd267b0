/**
 * One seed, start to finish: a safety phase under faults, then a liveness phase that heals everything
 * and demands a leader, every pending entry committed and applied everywhere, and equal state hashes;
 * finally the client history is checked for linearizability per key.
 */
import { InvariantViolation } from './invariants.ts';
import { SimCluster, type HistoryOp } from './cluster.ts';
import { drawFaultParams, FaultInjector } from './faults.ts';
import { Rng } from './rng.ts';
import { checkOperations, kvModel } from './lin/index.ts';

export interface SeedOptions {
  readonly seed: number;
  readonly nodes: 3 | 5;
  readonly safetyTicks?: number;
  readonly livenessTicks?: number;
  /** Search budget of the linearizability checker; exceeding it fails the seed. */
  readonly linMaxSteps?: number;
  /** Plant a known bug (tests of the checks themselves). */
  readonly bug?: 'staleReads';
}

export interface SeedResult {
  readonly seed: number;
  readonly nodes: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly traceHash: string;
  readonly ticks: number;
  readonly ops: number;
  readonly committed: number;
  /** The one-line command that replays this seed. */
  readonly replay: string;
}

export const DEFAULT_SAFETY_TICKS = 400;
export const DEFAULT_LIVENESS_TICKS = 400;

export function replayCommand(seed: number, nodes: number): string {
  return `npm run sim -- --seed ${seed} --nodes ${nodes} --verbose`;
}

export function runSeed(options: SeedOptions): SeedResult {
  const rng = new Rng(options.seed);
  const sim = new SimCluster(rng, options.nodes);
  sim.bug = options.bug;
  const faults = new FaultInjector(sim, rng.fork('faults'), drawFaultParams(rng.fork('params')));
  const base = {
    seed: options.seed,
    nodes: options.nodes,
    replay: replayCommand(options.seed, options.nodes),
  };
  try {
    for (let i = 0; i < (options.safetyTicks ?? DEFAULT_SAFETY_TICKS); i++) {
      faults.step();
      sim.tick(true);
    }
    faults.healAll();
    awaitLiveness(sim, options.livenessTicks ?? DEFAULT_LIVENESS_TICKS);
    sim.checker.checkDurability();
    checkLinearizable(sim.history, options.linMaxSteps ?? 2_000_000);
    return {
      ...base,
      ok: true,
      traceHash: sim.trace.hex(),
      ticks: sim.now,
      ops: sim.history.length,
      committed: sim.checker.appliedAt.size,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const kind = err instanceof InvariantViolation ? '' : `${err instanceof Error ? err.name : 'error'}: `;
    return {
      ...base,
      ok: false,
      error: `${kind}${message}\n--- at tick ${sim.now}, ${sim.network.describe()}\n${sim.describe()}\n--- recent events:\n${sim.log.slice(-30).join('\n')}`,
      traceHash: sim.trace.hex(),
      ticks: sim.now,
      ops: sim.history.length,
      committed: sim.checker.appliedAt.size,
    };
  }
}

/**
 * After healing: a leader must emerge, commit a fresh entry of its term, and every member must apply
 * everything in the leader's log and reach the same state.
 */
function awaitLiveness(sim: SimCluster, maxTicks: number): void {
  const deadline = sim.now + maxTicks;
  let barrier: string | undefined;
  let proposedAt = 0;
  while (sim.now < deadline) {
    sim.tick(false);
    const lead = sim.leader();
    if (!lead) continue;
    // (Re-)propose the barrier: a proposal made to a leader that lost its term may be gone.
    if (barrier === undefined || (lead.kv.get('_barrier') !== barrier && sim.now - proposedAt > 30)) {
      barrier = `barrier-${sim.now}`;
      proposedAt = sim.now;
      try {
        lead.raw.propose(
          new TextEncoder().encode(JSON.stringify({ opId: barrier, key: '_barrier', value: barrier })),
        );
      } catch {
        barrier = undefined;
      }
      continue;
    }
    if (converged(sim, lead, barrier)) return;
  }
  throw new Error(`liveness: not converged ${maxTicks} ticks after healing`);
}

function converged(
  sim: SimCluster,
  lead: ReturnType<SimCluster['leader']> & object,
  barrier: string,
): boolean {
  const st = lead.raw.status();
  if (st.commit !== st.lastIndex || lead.kv.get('_barrier') !== barrier) return false;
  const members = [...lead.confState.voters, ...lead.confState.learners];
  const hash = lead.kv.hash();
  for (const id of members) {
    const n = sim.nodes.get(id);
    if (!n) throw new Error(`liveness: member ${id} does not exist`);
    if (n.appliedIndex !== st.lastIndex || n.kv.hash() !== hash) return false;
  }
  return true;
}

function checkLinearizable(history: readonly HistoryOp[], maxSteps: number): void {
  const result = checkOperations(kvModel, history, { maxSteps });
  if (result.result === 'ok') return;
  if (result.result === 'timeout')
    throw new Error(`linearizability: checker timed out after ${result.steps} steps (counts as a failure)`);
  throw new Error(`linearizability: history is not linearizable: ${result.witness ?? ''}`);
}
