/**
 * CaStore: the CA's replicated state on one manager. It is a raft state machine (apply, snapshot,
 * restore — the shape raft/node's StateMachine wants) and the one way to change CA state: `propose()`
 * sends a command through the injected proposer and resolves once it is applied here, rejecting with
 * the reason when it did not apply. Derived objects (the signing CA, the trusted roots) are rebuilt
 * lazily after each change.
 */
import { EventEmitter } from 'node:events';
import { FailedPreconditionError } from '../proto/shared/errors.ts';
import { RootCA } from './pki.ts';
import {
  applyCaCommand,
  decodeCaCommand,
  encodeCaCommand,
  type CaCommand,
  type CaNodeRecord,
  type CaState,
} from './state.ts';

/** Proposes bytes to the replicated log; resolves with the entry's index once applied locally. */
export interface Proposer {
  propose(data: Uint8Array): Promise<number>;
}

export interface CaStoreEvents {
  change: [state: CaState];
}

const REFUSALS_KEPT = 1024;

export class CaStore extends EventEmitter<CaStoreEvents> {
  private s: CaState | null = null;
  private signerCache: Promise<RootCA> | undefined;
  private trustCache: Promise<RootCA> | undefined;
  private readonly refusals = new Map<number, string>();

  constructor(private readonly proposer: Proposer) {
    super();
  }

  // ---- raft state machine ----

  apply(data: Uint8Array, index: number): void {
    let cmd: CaCommand;
    try {
      cmd = decodeCaCommand(data);
    } catch {
      return; // not ours: the log is shared with other state machines
    }
    const r = applyCaCommand(this.s, cmd);
    if (r.refused !== undefined) {
      this.refusals.set(index, r.refused);
      if (this.refusals.size > REFUSALS_KEPT) {
        const first = this.refusals.keys().next();
        if (!first.done) this.refusals.delete(first.value);
      }
      return;
    }
    this.set(r.state);
  }

  snapshot(): Uint8Array {
    return Buffer.from(JSON.stringify(this.s));
  }

  restore(data: Uint8Array): void {
    this.set(JSON.parse(Buffer.from(data).toString('utf8')) as CaState | null);
  }

  // ---- reads ----

  get initialised(): boolean {
    return this.s !== null;
  }

  get state(): CaState {
    if (!this.s) throw new FailedPreconditionError('the swarm CA is not initialised yet');
    return this.s;
  }

  node(id: string): CaNodeRecord | undefined {
    return this.s?.nodes[id];
  }

  isRemoved(id: string): boolean {
    return this.s?.removed.includes(id) ?? false;
  }

  /** The roots a node should trust now: the root, plus the next root during a rotation. */
  trustBundle(): string {
    const s = this.state;
    return s.rotation ? `${s.rootCertPem.trim()}\n${s.rotation.nextCertPem.trim()}\n` : s.rootCertPem;
  }

  /** The CA that verifies chains against the trusted roots. */
  trust(): Promise<RootCA> {
    this.trustCache ??= RootCA.fromPem(this.trustBundle());
    return this.trustCache;
  }

  /** The CA that signs node certificates now (the new key, with the cross-signed intermediate, mid-rotation). */
  signer(): Promise<RootCA> {
    if (!this.signerCache) {
      const s = this.state;
      this.signerCache = s.rotation
        ? RootCA.transition({
            trustPem: this.trustBundle(),
            nextCertPem: s.rotation.nextCertPem,
            nextKeyPem: s.rotation.nextKeyPem,
            crossPem: s.rotation.crossPem,
          })
        : RootCA.fromPem(s.rootCertPem, s.rootKeyPem ?? undefined);
    }
    return this.signerCache;
  }

  // ---- writes ----

  /** Proposes a command; resolves once applied here, rejects with FailedPrecondition when it did not apply. */
  async propose(cmd: CaCommand): Promise<void> {
    const index = await this.proposer.propose(encodeCaCommand(cmd));
    const refused = this.refusals.get(index);
    if (refused !== undefined) {
      this.refusals.delete(index);
      throw new FailedPreconditionError(refused);
    }
  }

  private set(s: CaState | null): void {
    const before = this.s;
    this.s = s;
    if (
      !before ||
      !s ||
      before.rootCertPem !== s.rootCertPem ||
      before.rootKeyPem !== s.rootKeyPem ||
      before.rotation !== s.rotation
    ) {
      this.signerCache = undefined;
      this.trustCache = undefined;
    }
    if (s) this.emit('change', s);
  }
}
