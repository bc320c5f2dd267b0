/**
 * `kvModel.partition`: validates a KV history, splits it per key, and leaves out operations that cannot
 * affect the verdict, which is where most of the checker's time would otherwise go in a faulty run.
 */
import { InvalidOperationError } from './errors.ts';
import type { KvInput, KvOp, KvOperation } from './kv.ts';

const OPS: ReadonlySet<string> = new Set<KvOp>(['get', 'put', 'append', 'cas']);

function validate(o: KvOperation, index: number): void {
  if (!OPS.has(o.input.op)) throw new InvalidOperationError(index, 'input.op', o.input.op, 'is not a KV op');
  if (typeof o.input.key !== 'string') {
    throw new InvalidOperationError(index, 'input.key', o.input.key, 'is not a string');
  }
  if (o.input.op !== 'get' && typeof o.input.value !== 'string') {
    throw new InvalidOperationError(index, 'input.value', o.input.value, `is required for ${o.input.op}`);
  }
}

/** Whether an operation neither changes the state nor observes it, so leaving it out changes nothing. */
function isInert(o: KvOperation): boolean {
  if (o.input.op === 'get') return o.output.kind !== 'ok';
  return o.output.kind === 'fail' && o.input.op !== 'cas';
}

/** The strings of one key's history in which a written value could show up. */
function observations(ops: readonly KvOperation[]): { texts: string[]; blindCas: boolean } {
  const texts: string[] = [];
  let blindCas = false;
  for (const o of ops) {
    if (o.input.op === 'get' && o.output.kind === 'ok') texts.push(o.output.value ?? '');
    if (o.input.op === 'cas') {
      if (o.input.expected !== undefined) texts.push(o.input.expected);
      if (o.output.kind !== 'ok') blindCas = true;
    }
  }
  return { texts, blindCas };
}

/**
 * Whether a put or append with an unknown outcome can be left out: nothing could have seen its value.
 * Every state from its linearization point to the next put or successful cas contains its value, so a
 * get or successful cas in that stretch would mention it; appends there accept any state. A failed or
 * unknown cas could have been decided by it without mentioning it, so any such cas keeps it. Leaving it
 * out then only shifts it to the end of the linearization, where every unknown may go anyway.
 */
function isUnobserved(input: KvInput, obs: { texts: readonly string[]; blindCas: boolean }): boolean {
  if (input.op !== 'put' && input.op !== 'append') return false;
  const value = input.value ?? '';
  return value !== '' && !obs.blindCas && !obs.texts.some((t) => t.includes(value));
}

/**
 * One non-empty partition per key, in order of first appearance, without inert operations and without unknown
 * writes nothing observed. An `unknown` outcome gets `return: Infinity`: a request the client gave up on
 * can still take effect later, and bounding it by the time the client stopped waiting would forbid that.
 */
export function partitionKv(history: readonly KvOperation[]): KvOperation[][] {
  const byKey = new Map<string, KvOperation[]>();
  history.forEach((o, i) => {
    validate(o, i);
    if (isInert(o)) return;
    const op = o.output.kind === 'unknown' && o.return !== Infinity ? { ...o, return: Infinity } : o;
    const list = byKey.get(o.input.key);
    if (list === undefined) byKey.set(o.input.key, [op]);
    else list.push(op);
  });
  return [...byKey.values()]
    .map((ops) => {
      const obs = observations(ops);
      return ops.filter((o) => o.output.kind !== 'unknown' || !isUnobserved(o.input, obs));
    })
    .filter((ops) => ops.length > 0);
}
