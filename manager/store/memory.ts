/**
 * MemoryStore: every object of the swarm in memory, changed only through raft.
 *
 * A write is a transaction: `update(tx => …)` runs its body against the committed state plus the
 * transaction's own changes, then proposes the changes as ONE raft entry (an InternalRaftRequest of
 * StoreActions). Every manager applies committed entries in log order through `apply()`, which checks
 * the whole transaction first — IDs and names still free, updated objects still at the version the
 * writer read ("update out of sequence" otherwise), removed objects still there — and applies all of
 * it or none of it. Versions are the raft index of the entry; watchers hear events after the commit.
 *
 * Objects handed out by reads are the stored ones: treat them as read-only and `clone()` before
 * changing. A transaction takes ownership of the objects given to create/update. The leader decodes its own entries like everyone else, so all managers hold identical state.
 */
import { EventEmitter } from 'eventemitter3';
import { randomInt } from 'node:crypto';
import type protobuf from 'protobufjs';
import { messageType } from '../../proto/load.ts';
import { AlreadyExistsError, FailedPreconditionError, NotFoundError } from '../../proto/shared/errors.ts';
import {
  KINDS,
  MESSAGE_OF,
  OutOfSequenceError,
  TransactionRefusedError,
  UNIQUE_NAME_KINDS,
  type Action,
  type AnyObject,
  type By,
  type Kind,
  type ObjectOf,
  type StoreEvent,
} from './types.ts';

export const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
};

/** Proposes a raft entry; resolves with its index once it has been applied on this manager. */
export interface StoreProposer {
  propose(data: Uint8Array): Promise<number>;
}

export interface StoreEvents {
  /** One object changed (after its transaction committed). */
  event: [StoreEvent];
  /** A whole transaction committed: its changes in order, and the raft index. */
  commit: [events: readonly StoreEvent[], index: number];
  /** The whole state was replaced from a snapshot: watchers must re-read. */
  restore: [];
}

export interface MemoryStoreOptions {
  /** Clock for createdAt/updatedAt (ms). */
  readonly now?: () => number;
  /** A batch closes a transaction after this many changes (Swarm: 200). */
  readonly maxChangesPerTx?: number;
}

interface Change {
  readonly kind: Kind;
  readonly action: Action;
  readonly object: AnyObject;
}

const keyOf = (kind: Kind, id: string): string => `${kind}/${id}`;

/** The name an object is known by in lookups. */
export function nameOf(kind: Kind, o: AnyObject): string {
  switch (kind) {
    case 'task':
      return (o as ObjectOf['task']).name;
    case 'node': {
      const n = o as ObjectOf['node'];
      return n.spec?.name || n.description?.hostname || '';
    }
    case 'service':
    case 'network':
    case 'secret':
    case 'config':
    case 'cluster':
      return (o as { spec: { name: string } | null }).spec?.name ?? '';
  }
}

function labelsOf(kind: Kind, o: AnyObject): Record<string, string> {
  if (kind === 'task') return (o as ObjectOf['task']).labels;
  return (o as { spec: { labels?: Record<string, string> } | null }).spec?.labels ?? {};
}

function matches(kind: Kind, o: AnyObject, by: By): boolean {
  if (by.idPrefix !== undefined && !o.id.startsWith(by.idPrefix)) return false;
  if (by.name !== undefined && nameOf(kind, o) !== by.name) return false;
  if (by.namePrefix !== undefined && !nameOf(kind, o).startsWith(by.namePrefix)) return false;
  if (kind === 'task') {
    const t = o as ObjectOf['task'];
    if (by.serviceId !== undefined && t.serviceId !== by.serviceId) return false;
    if (by.nodeId !== undefined && t.nodeId !== by.nodeId) return false;
    if (by.slot !== undefined && t.slot !== by.slot) return false;
    if (by.desiredState !== undefined && t.desiredState !== by.desiredState) return false;
  } else if (by.serviceId !== undefined || by.slot !== undefined || by.desiredState !== undefined) {
    return false;
  } else if (by.nodeId !== undefined && !(kind === 'node' && o.id === by.nodeId)) {
    return false;
  }
  if (by.label) {
    const v = labelsOf(kind, o)[by.label.key];
    if (v === undefined || (by.label.value !== undefined && v !== by.label.value)) return false;
  }
  return true;
}

/** A deep copy of a stored object, to change and write back. */
export function clone<T>(o: T): T {
  return deepCopy(o) as T;
}

function deepCopy(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Buffer.isBuffer(v)) return Buffer.from(v);
  if (v instanceof Uint8Array) return Buffer.from(v);
  if (Array.isArray(v)) return v.map(deepCopy);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
  return out;
}

/** A new object of `kind` with every field at its default (what decoding an empty message gives). */
export function blank<K extends Kind>(kind: K): ObjectOf[K] {
  const type = messageType(MESSAGE_OF[kind]);
  return type.toObject(type.create({}), TO_OBJECT) as ObjectOf[K];
}

/** Reads, shared by the store and transactions. */
export interface ReadTx {
  get<K extends Kind>(kind: K, id: string): ObjectOf[K] | undefined;
  find<K extends Kind>(kind: K, by?: By): ObjectOf[K][];
}

/** A transaction's writes. Checks run at once (and again when it commits). */
export interface WriteTx extends ReadTx {
  create<K extends Kind>(kind: K, object: ObjectOf[K]): void;
  /** `object.version.index` must be the version read; the stored object is replaced. */
  update<K extends Kind>(kind: K, object: ObjectOf[K]): void;
  remove(kind: Kind, id: string): void;
  /** Changes so far. */
  readonly size: number;
}

class Tables {
  readonly objects = new Map<Kind, Map<string, AnyObject>>(KINDS.map((k) => [k, new Map()]));
  readonly names = new Map<Kind, Map<string, string>>(UNIQUE_NAME_KINDS.map((k) => [k, new Map()]));
  readonly tasksByService = new Map<string, Set<string>>();
  readonly tasksByNode = new Map<string, Set<string>>();

  table(kind: Kind): Map<string, AnyObject> {
    const t = this.objects.get(kind);
    if (!t) throw new Error(`store: unknown kind ${kind}`);
    return t;
  }

  put(kind: Kind, o: AnyObject): AnyObject | undefined {
    const old = this.table(kind).get(o.id);
    if (old) this.unindex(kind, old);
    this.table(kind).set(o.id, o);
    this.index(kind, o);
    return old;
  }

  delete(kind: Kind, id: string): AnyObject | undefined {
    const old = this.table(kind).get(id);
    if (!old) return undefined;
    this.unindex(kind, old);
    this.table(kind).delete(id);
    return old;
  }

  private index(kind: Kind, o: AnyObject): void {
    this.names.get(kind)?.set(nameOf(kind, o), o.id);
    if (kind === 'task') {
      const t = o as ObjectOf['task'];
      addTo(this.tasksByService, t.serviceId, t.id);
      addTo(this.tasksByNode, t.nodeId, t.id);
    }
  }

  private unindex(kind: Kind, o: AnyObject): void {
    const names = this.names.get(kind);
    const n = nameOf(kind, o);
    if (names?.get(n) === o.id) names.delete(n);
    if (kind === 'task') {
      const t = o as ObjectOf['task'];
      removeFrom(this.tasksByService, t.serviceId, t.id);
      removeFrom(this.tasksByNode, t.nodeId, t.id);
    }
  }
}

function addTo(m: Map<string, Set<string>>, k: string, v: string): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom(m: Map<string, Set<string>>, k: string, v: string): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

/** Proposes to nobody: applies at once, numbering entries itself (tests, benchmarks, single process). */
export class LocalProposer implements StoreProposer {
  private index = 0;
  target: { apply(data: Uint8Array, index: number): void } | undefined;

  propose(data: Uint8Array): Promise<number> {
    const index = ++this.index;
    return Promise.resolve().then(() => {
      this.target?.apply(data, index);
      return index;
    });
  }
}

const REFUSALS_KEPT = 1024;
const SPECS_KEPT = 4096;

export class MemoryStore implements ReadTx {
  readonly events = new EventEmitter<StoreEvents>();
  private t = new Tables();
  private readonly refusals = new Map<number, Error>();
  private readonly now: () => number;
  private readonly maxChanges: number;
  private readonly request = messageType('InternalRaftRequest');
  private readonly snapshotType = messageType('StoreSnapshot');
  private nextProposal = randomInt(1, 2 ** 40);
  private applied = 0;
  private readonly specs = new Map<string, NonNullable<ObjectOf['task']['spec']>>();

  constructor(
    private readonly proposer: StoreProposer,
    o: MemoryStoreOptions = {},
  ) {
    this.now = o.now ?? Date.now;
    this.maxChanges = o.maxChangesPerTx ?? 200;
  }

  /** A store on a LocalProposer: commits in-process, no raft (tests, benchmarks). */
  static local(o: MemoryStoreOptions = {}): MemoryStore {
    const p = new LocalProposer();
    const s = new MemoryStore(p, o);
    p.target = s;
    return s;
  }

  /** The raft index of the last applied store entry. */
  get appliedIndex(): number {
    return this.applied;
  }

  // ---- reads ----

  get<K extends Kind>(kind: K, id: string): ObjectOf[K] | undefined {
    return this.t.table(kind).get(id) as ObjectOf[K] | undefined;
  }

  find<K extends Kind>(kind: K, by: By = {}): ObjectOf[K][] {
    let candidates: Iterable<AnyObject>;
    const table = this.t.table(kind);
    if (kind === 'task' && by.serviceId !== undefined) {
      candidates = ids(this.t.tasksByService.get(by.serviceId), table);
    } else if (kind === 'task' && by.nodeId !== undefined) {
      candidates = ids(this.t.tasksByNode.get(by.nodeId), table);
    } else if (by.name !== undefined && this.t.names.has(kind)) {
      const id = this.t.names.get(kind)?.get(by.name);
      const o = id === undefined ? undefined : table.get(id);
      candidates = o ? [o] : [];
    } else if (by.idPrefix !== undefined && table.has(by.idPrefix)) {
      candidates = [table.get(by.idPrefix) as AnyObject];
    } else {
      candidates = table.values();
    }
    const out: ObjectOf[K][] = [];
    for (const o of candidates) if (matches(kind, o, by)) out.push(o as ObjectOf[K]);
    return out;
  }

  count(kind: Kind): number {
    return this.t.table(kind).size;
  }

  /** The ID of the object with this unique name, if any. */
  idByName(kind: Kind, name: string): string | undefined {
    return this.t.names.get(kind)?.get(name);
  }

  // ---- writes ----

  /**
   * Runs `body` as one transaction and commits it through raft. Resolves once applied here; rejects
   * with the check that failed (now or at commit), with nothing changed.
   */
  async update(body: (tx: WriteTx) => void): Promise<void> {
    const tx = new Tx(this, this.now());
    body(tx);
    await this.commit(tx.changes());
  }

  /**
   * Many changes as several transactions of at most `maxChangesPerTx` changes, proposed back to back.
   * `body` calls `b.update(fn)` per unit of work; a unit never spans two transactions. Resolves when
   * all committed; rejects with the first failure (the other transactions may have committed).
   */
  async batch(body: (b: { update(fn: (tx: WriteTx) => void): void }) => void): Promise<void> {
    const commits: Promise<void>[] = [];
    let tx = new Tx(this, this.now());
    body({
      update: (fn) => {
        fn(tx);
        if (tx.size >= this.maxChanges) {
          commits.push(this.commit(tx.changes()));
          tx = new Tx(this, this.now());
        }
      },
    });
    if (tx.size > 0) commits.push(this.commit(tx.changes()));
    const results = await Promise.allSettled(commits);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async commit(changes: Change[]): Promise<void> {
    if (changes.length === 0) return;
    const id = this.nextProposal++;
    const msg = this.request.fromObject({
      id,
      actions: changes.map((c) => ({
        kind: `KIND_${c.action.toUpperCase()}`,
        target: { [c.kind]: c.object },
      })),
    });
    const index = await this.proposer.propose(this.request.encode(msg).finish());
    const refused = this.refusals.get(index);
    if (refused) {
      this.refusals.delete(index);
      throw refused;
    }
  }

  // ---- raft state machine ----

  /** Applies one committed store transaction (all or nothing). */
  apply(data: Uint8Array, index: number): void {
    const req = this.request.toObject(this.request.decode(data), TO_OBJECT) as {
      actions: { kind: string; target: Record<string, unknown> & { object?: Kind } }[];
    };
    const changes: Change[] = [];
    for (const a of req.actions) {
      const kind = a.target.object;
      if (!kind) continue;
      const action = a.kind.replace('KIND_', '').toLowerCase() as Action;
      changes.push({ kind, action, object: a.target[kind] as AnyObject });
    }
    const err = this.check(changes);
    if (err) {
      this.refusals.set(index, err);
      if (this.refusals.size > REFUSALS_KEPT) {
        const first = this.refusals.keys().next();
        if (!first.done) this.refusals.delete(first.value);
      }
      this.applied = index;
      return;
    }
    const events: StoreEvent[] = [];
    for (const c of changes) {
      if (c.action === 'remove') {
        const old = this.t.delete(c.kind, c.object.id);
        if (old) events.push({ kind: c.kind, action: 'remove', object: old });
      } else {
        c.object.version = { index };
        if (c.kind === 'task') this.internSpec(c.object as ObjectOf['task']);
        const old = this.t.put(c.kind, c.object);
        events.push(
          old
            ? { kind: c.kind, action: c.action, object: c.object, old }
            : { kind: c.kind, action: c.action, object: c.object },
        );
      }
    }
    this.applied = index;
    for (const e of events) this.events.emit('event', e);
    this.events.emit('commit', events, index);
  }

  /**
   * Tasks of one service version carry identical specs: share one object among them instead of one
   * decoded copy each (most of a task's memory). Shared specs are read-only like everything stored.
   */
  private internSpec(t: ObjectOf['task']): void {
    if (!t.spec) return;
    const key = `${t.serviceId}\u0000${JSON.stringify(t.spec)}`;
    const hit = this.specs.get(key);
    if (hit) {
      t.spec = hit;
      return;
    }
    if (this.specs.size >= SPECS_KEPT) this.specs.clear();
    this.specs.set(key, t.spec);
  }

  /** The whole transaction's checks against the committed state (deterministic on every manager). */
  private check(changes: readonly Change[]): Error | undefined {
    const seen = new Set<string>();
    const takenNames = new Map<string, string>();
    const freedNames = new Set<string>();
    for (const c of changes) {
      const key = keyOf(c.kind, c.object.id);
      if (seen.has(key))
        return new TransactionRefusedError(`${c.kind} ${c.object.id} changed twice in one transaction`);
      seen.add(key);
      const cur = this.get(c.kind, c.object.id);
      if (c.action === 'create' && cur)
        return new AlreadyExistsError(`${c.kind} ${c.object.id} already exists`);
      if (c.action !== 'create' && !cur) return new NotFoundError(`${c.kind} ${c.object.id} not found`);
      if (c.action === 'update' && cur && (c.object.version?.index ?? 0) !== (cur.version?.index ?? 0))
        return new OutOfSequenceError();
      if (!UNIQUE_NAME_KINDS.includes(c.kind)) continue;
      if (cur && c.action !== 'create') freedNames.add(`${c.kind}/${nameOf(c.kind, cur)}`);
      if (c.action === 'remove') continue;
      const name = nameOf(c.kind, c.object);
      const nk = `${c.kind}/${name}`;
      const holder = this.idByName(c.kind, name);
      const otherInTx = takenNames.get(nk);
      if (otherInTx !== undefined && otherInTx !== c.object.id) return nameConflict(c.kind, name);
      if (holder !== undefined && holder !== c.object.id && !freedNames.has(nk))
        return nameConflict(c.kind, name);
      takenNames.set(nk, c.object.id);
    }
    return undefined;
  }

  snapshot(): Uint8Array {
    const all = (k: Kind): AnyObject[] => [...this.t.table(k).values()];
    const msg = this.snapshotType.fromObject({
      nodes: all('node'),
      services: all('service'),
      tasks: all('task'),
      networks: all('network'),
      secrets: all('secret'),
      configs: all('config'),
      clusters: all('cluster'),
    });
    return this.snapshotType.encode(msg).finish();
  }

  restore(data: Uint8Array): void {
    const s = this.snapshotType.toObject(this.snapshotType.decode(data), TO_OBJECT) as Record<
      string,
      AnyObject[]
    >;
    const t = new Tables();
    const plural: Record<Kind, string> = {
      node: 'nodes',
      service: 'services',
      task: 'tasks',
      network: 'networks',
      secret: 'secrets',
      config: 'configs',
      cluster: 'clusters',
    };
    for (const k of KINDS) for (const o of s[plural[k]] ?? []) t.put(k, o);
    this.t = t;
    this.events.emit('restore');
  }
}

function nameConflict(kind: Kind, name: string): AlreadyExistsError {
  return new AlreadyExistsError(`name conflicts with an existing object: ${kind} ${name} already exists`);
}

function* ids(set: Set<string> | undefined, table: Map<string, AnyObject>): Iterable<AnyObject> {
  if (!set) return;
  for (const id of set) {
    const o = table.get(id);
    if (o) yield o;
  }
}

class Tx implements WriteTx {
  private readonly pending = new Map<string, Change>();

  constructor(
    private readonly store: MemoryStore,
    private readonly nowMs: number,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  changes(): Change[] {
    return [...this.pending.values()];
  }

  get<K extends Kind>(kind: K, id: string): ObjectOf[K] | undefined {
    const c = this.pending.get(keyOf(kind, id));
    if (c) return c.action === 'remove' ? undefined : (c.object as ObjectOf[K]);
    return this.store.get(kind, id);
  }

  find<K extends Kind>(kind: K, by: By = {}): ObjectOf[K][] {
    const out = this.store.find(kind, by).filter((o) => !this.pending.has(keyOf(kind, o.id)));
    for (const c of this.pending.values())
      if (c.kind === kind && c.action !== 'remove' && matches(kind, c.object, by))
        out.push(c.object as ObjectOf[K]);
    return out;
  }

  create<K extends Kind>(kind: K, object: ObjectOf[K]): void {
    if (!object.id) throw new FailedPreconditionError(`${kind}: an object needs an ID`);
    if (this.get(kind, object.id)) throw new AlreadyExistsError(`${kind} ${object.id} already exists`);
    if (UNIQUE_NAME_KINDS.includes(kind)) {
      const name = nameOf(kind, object);
      if (this.find(kind, { name }).length > 0) throw nameConflict(kind, name);
    }
    this.owned(kind, object);
    const o = object;
    const ts = timestamp(this.nowMs);
    o.createdAt = ts;
    o.updatedAt = ts;
    o.version = { index: 0 };
    this.pending.set(keyOf(kind, o.id), { kind, action: 'create', object: o });
  }

  update<K extends Kind>(kind: K, object: ObjectOf[K]): void {
    const key = keyOf(kind, object.id);
    const inTx = this.pending.get(key);
    const committed = this.store.get(kind, object.id);
    if (inTx?.action === 'remove' || (!inTx && !committed))
      throw new NotFoundError(`${kind} ${object.id} not found`);
    if (!inTx && (object.version?.index ?? 0) !== (committed?.version?.index ?? 0))
      throw new OutOfSequenceError();
    if (UNIQUE_NAME_KINDS.includes(kind)) {
      const name = nameOf(kind, object);
      if (this.find(kind, { name }).some((o) => o.id !== object.id)) throw nameConflict(kind, name);
    }
    if (object !== inTx?.object) this.owned(kind, object);
    const o = object;
    o.updatedAt = timestamp(this.nowMs);
    if (inTx) o.version = inTx.object.version;
    this.pending.set(key, { kind, action: inTx?.action === 'create' ? 'create' : 'update', object: o });
  }

  /** The transaction takes the object it is given; a stored object must be cloned first. */
  private owned(kind: Kind, object: AnyObject): void {
    if (this.store.get(kind, object.id) === object)
      throw new Error(`store: ${kind} ${object.id} is the stored object; pass clone(object) to write it`);
  }

  remove(kind: Kind, id: string): void {
    const key = keyOf(kind, id);
    const inTx = this.pending.get(key);
    if (inTx?.action === 'create') {
      this.pending.delete(key);
      return;
    }
    const cur = this.get(kind, id);
    if (!cur) throw new NotFoundError(`${kind} ${id} not found`);
    this.pending.set(key, { kind, action: 'remove', object: this.store.get(kind, id) ?? cur });
  }
}

function timestamp(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}
