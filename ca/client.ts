/**
 * The node side of the CA: joining with a token, and keeping the node's certificate current.
 *
 * Joining (`swarm join --token T ADDR`): fetch the root over TLS without verification, refuse unless
 * its digest is the one pinned in the token, then send a CSR with the token over TLS verified against
 * that root, and wait for the certificate. Nothing is written to disk unless all of it succeeded.
 *
 * {@link NodeCertificateAgent} keeps a node's certificate current: it renews at a random point in
 * [50 %, 80 %] of the certificate's life (with backoff), and at once when the swarm says so (RENEW after
 * promote/demote, ROTATE during a root rotation); it follows the trusted roots. New material goes to
 * the node's TLS credentials (new connections use it; open ones stay) and to its certificate files.
 */
import * as grpc from '@grpc/grpc-js';
import type { NodeCAClient } from '../proto/gen/shoal/api/NodeCA.ts';
import type { CAClient } from '../proto/gen/shoal/api/CA.ts';
import type { GetRootCACertificateResponse__Output } from '../proto/gen/shoal/api/GetRootCACertificateResponse.ts';
import type { IssueNodeCertificateResponse__Output } from '../proto/gen/shoal/api/IssueNodeCertificateResponse.ts';
import type { NodeCertificateStatusResponse__Output } from '../proto/gen/shoal/api/NodeCertificateStatusResponse.ts';
import { grpcServices } from '../proto/load.ts';
import { fromGrpcError, UnavailableError } from '../proto/shared/errors.ts';
import type { Logger } from '../proto/shared/log.ts';
import { silentLogger } from '../proto/shared/log.ts';
import { CertificateRejectedError } from './errors.ts';
import { writeFileAtomic, type CertificateDir } from './keyfile.ts';
import {
  createCsr,
  generateKeyPair,
  identityOf,
  importKeyPem,
  privateKeyPem,
  RootCA,
  splitPemBundle,
  type NodeIdentity,
} from './pki.ts';
import { RenewalScheduler } from './renewal.ts';
import { LEADER_ADDR_HEADER } from './server.ts';
import {
  anonymousClientCredentials,
  CLUSTER_CHANNEL_OPTIONS,
  unverifiedClientCredentials,
  type NodeTlsCredentials,
} from './tls.ts';
import { checkRootAgainstToken, parseJoinToken } from './tokens.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

type Invoke<Res> = (
  md: grpc.Metadata,
  opts: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

/** Calls a unary method; a gRPC error becomes a ShoalError (the leader's address kept for redirects). */
function call<Res>(invoke: Invoke<Res>, timeoutMs: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke(new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) {
        const e = fromGrpcError(err);
        const leader = err.metadata?.get(LEADER_ADDR_HEADER)[0];
        if (typeof leader === 'string') Object.assign(e, { leaderAddr: leader });
        reject(e);
      } else if (res === undefined) reject(new UnavailableError('empty response'));
      else resolve(res);
    });
  });
}

function leaderAddrOf(err: unknown): string | undefined {
  const a = (err as { leaderAddr?: unknown }).leaderAddr;
  return typeof a === 'string' && a !== '' ? a : undefined;
}

function nodeCa(addr: string, creds: grpc.ChannelCredentials): NodeCAClient {
  return new (grpcServices().shoal.api.NodeCA)(addr, creds, CLUSTER_CHANNEL_OPTIONS);
}

/** Fetches a manager's root CA without verifying the server (the caller must check it against a token). */
export async function fetchRootCA(addr: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
  let target = addr;
  for (let hop = 0; ; hop++) {
    const client: CAClient = new (grpcServices().shoal.api.CA)(
      target,
      unverifiedClientCredentials(),
      CLUSTER_CHANNEL_OPTIONS,
    );
    try {
      const res = await call<GetRootCACertificateResponse__Output>(
        (md, opts, cb) => client.GetRootCACertificate({}, md, opts, cb),
        timeoutMs,
      );
      const pem = res.certificate.toString('utf8');
      if (splitPemBundle(pem).length === 0)
        throw new CertificateRejectedError(`the manager at ${target} sent no root CA certificate`);
      return pem;
    } catch (err) {
      const leader = leaderAddrOf(err);
      if (!leader || leader === target || hop >= MAX_REDIRECTS) throw err;
      target = leader; // safe: the root is checked against the token's digest whoever sends it
    } finally {
      client.close();
    }
  }
}

/**
 * Issues a CSR on `addr`, following a follower's redirect to the leader, then waits for the
 * certificate. Returns the address that answered (the leader), the node ID and the status response.
 */
async function requestCertificate(o: {
  addr: string;
  creds: grpc.ChannelCredentials;
  csrPem: string;
  token: string;
  /** The certificate chain the node has now (a renewal waits for a different one). */
  previousPem?: string;
  timeoutMs: number;
}): Promise<{ addr: string; nodeId: string; status: NodeCertificateStatusResponse__Output }> {
  let addr = o.addr;
  const deadline = Date.now() + o.timeoutMs;
  for (let hop = 0; ; hop++) {
    const client = nodeCa(addr, o.creds);
    try {
      let nodeId: string;
      try {
        const req = { csr: Buffer.from(o.csrPem), token: o.token };
        const res = await call<IssueNodeCertificateResponse__Output>(
          (md, opts, cb) => client.IssueNodeCertificate(req, md, opts, cb),
          Math.max(1, deadline - Date.now()),
        );
        nodeId = res.nodeId;
      } catch (err) {
        const leader = leaderAddrOf(err);
        if (leader && leader !== addr && hop < MAX_REDIRECTS) {
          addr = leader;
          continue;
        }
        throw err;
      }
      for (;;) {
        const status = await call<NodeCertificateStatusResponse__Output>(
          (md, opts, cb) => client.NodeCertificateStatus({ nodeId }, md, opts, cb),
          Math.max(1, deadline - Date.now()),
        ).catch((err: unknown) => {
          if (Date.now() < deadline && (err as { code?: string }).code === 'NotFound') return undefined;
          throw err;
        });
        const pem = status?.certificate?.certificate.toString('utf8') ?? '';
        if (status && pem !== '' && pem !== o.previousPem) return { addr, nodeId, status };
        if (Date.now() >= deadline)
          throw new UnavailableError(`the CA at ${addr} did not deliver the certificate in time`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      client.close();
    }
  }
}

export interface JoinOptions {
  /** A manager's cluster address (host:port). */
  readonly addr: string;
  readonly token: string;
  /** Where to write the root, certificate and key once joined. */
  readonly dir: CertificateDir;
  readonly timeoutMs?: number;
}

export interface Joined {
  readonly identity: NodeIdentity;
  readonly rootPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/** Joins a swarm with a token: see the module comment. Throws without writing anything on failure. */
export async function joinSwarm(o: JoinOptions): Promise<Joined> {
  parseJoinToken(o.token); // a malformed token fails before any request
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pinned = await fetchRootCA(o.addr, timeoutMs);
  checkRootAgainstToken(o.token, pinned);
  const keys = await generateKeyPair();
  const keyPem = await privateKeyPem(keys.privateKey);
  const csrPem = await createCsr(keys);
  const { nodeId, status } = await requestCertificate({
    addr: o.addr,
    creds: anonymousClientCredentials(pinned),
    csrPem,
    token: o.token,
    timeoutMs,
  });
  const certPem = status.certificate?.certificate.toString('utf8') ?? '';
  const rootPem = status.rootCaBundle.length > 0 ? status.rootCaBundle.toString('utf8') : pinned;
  const identity = await (await RootCA.fromPem(rootPem)).verify(certPem);
  if (identity.nodeId !== nodeId)
    throw new CertificateRejectedError(`the CA issued a certificate for ${identity.nodeId}, not ${nodeId}`);
  await o.dir.write(rootPem, certPem, { keyPem, dek: null, pendingDek: null }, null);
  return { identity, rootPem, certPem, keyPem };
}

export interface NodeCertificateAgentOptions {
  readonly creds: NodeTlsCredentials;
  /** Managers to ask, best first (the agent remembers which one answered). */
  readonly managers: () => readonly string[];
  /** Where the node's certificate and root live (the key file is not rewritten: renewals keep the key). */
  readonly dir: CertificateDir;
  /** How often to ask the swarm whether to renew or trust new roots (default 5 s). */
  readonly pollMs?: number;
  readonly timeoutMs?: number;
  readonly random?: () => number;
  readonly log?: Logger;
  /** Called after new material is in place. */
  readonly onUpdate?: (identity: NodeIdentity) => void;
}

export class NodeCertificateAgent {
  private readonly scheduler: RenewalScheduler;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;
  private preferred: string | undefined;
  private readonly log: Logger;
  private renewals = 0;
  private polls = 0;
  private installing: Promise<void> = Promise.resolve();
  private lastPollError: Error | undefined;

  constructor(private readonly o: NodeCertificateAgentOptions) {
    this.log = (o.log ?? silentLogger()).child({ component: 'ca-agent' });
    this.scheduler = new RenewalScheduler({
      current: () => identityOf(this.o.creds.current.certPem),
      renew: () => this.renew(),
      ...(o.random ? { random: o.random } : {}),
      onError: (err, retryInMs) =>
        this.log.warn({ err, retryInMs }, 'certificate renewal failed; retrying with backoff'),
    });
  }

  get identity(): NodeIdentity {
    return identityOf(this.o.creds.current.certPem);
  }

  /** For diagnostics: status polls answered so far, and the last poll failure. */
  get pollStats(): { polls: number; lastError: string | undefined } {
    return {
      polls: this.polls,
      lastError:
        this.lastPollError instanceof Error
          ? `${this.lastPollError.name}: ${this.lastPollError.message}`
          : undefined,
    };
  }

  /** Successful renewals so far. */
  get renewalCount(): number {
    return this.renewals;
  }

  start(): void {
    this.scheduler.start();
    this.pollTimer = setInterval(() => void this.poll(), this.o.pollMs ?? 5000);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    await this.scheduler.stop();
  }

  /** Renews now, whatever the schedule says. */
  renewNow(): void {
    this.scheduler.renewNow();
  }

  private managerOrder(): string[] {
    const all = [...this.o.managers()];
    if (this.preferred && all.includes(this.preferred))
      return [this.preferred, ...all.filter((a) => a !== this.preferred)];
    return all;
  }

  /** One renewal: a CSR from the node's key, signed by the leader, installed and written. */
  async renew(): Promise<void> {
    const cur = this.o.creds.current;
    const csrPem = await createCsr(await importKeyPem(cur.keyPem));
    let lastErr: unknown = new UnavailableError('no manager to renew the certificate with');
    for (const addr of this.managerOrder()) {
      try {
        const res = await requestCertificate({
          addr,
          creds: this.o.creds.client(),
          csrPem,
          token: '',
          previousPem: cur.certPem,
          timeoutMs: this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        });
        this.preferred = res.addr;
        await this.install(res.status);
        this.renewals++;
        return;
      } catch (err) {
        lastErr = err;
      }
    }
    throw lastErr;
  }

  /**
   * Installs what the CA sent: a new certificate (with the roots of that moment), or with `trustOnly`
   * just new roots. Installs run one at a time and read the current material inside the lock, so a
   * trust update can never put back a certificate a renewal has just replaced.
   */
  private install(status: NodeCertificateStatusResponse__Output, trustOnly = false): Promise<void> {
    const run = this.installing.then(async () => {
      const cur = this.o.creds.current;
      const sent = status.certificate?.certificate.toString('utf8') ?? '';
      const certPem = trustOnly || sent === '' ? cur.certPem : sent;
      const rootPem = status.rootCaBundle.length > 0 ? status.rootCaBundle.toString('utf8') : cur.rootPem;
      if (certPem === cur.certPem && rootPem === cur.rootPem) return;
      const identity = await (await RootCA.fromPem(rootPem)).verify(certPem);
      if (identity.nodeId !== this.identity.nodeId)
        throw new CertificateRejectedError(`the CA sent a certificate for ${identity.nodeId}`);
      if (certPem !== cur.certPem) await writeFileAtomic(this.o.dir.certPath, certPem, 0o644);
      if (rootPem !== cur.rootPem) await writeFileAtomic(this.o.dir.rootPath, rootPem, 0o644);
      this.o.creds.update({ rootPem, certPem, keyPem: cur.keyPem });
      this.log.info({ role: identity.role, notAfter: identity.notAfter }, 'certificate material updated');
      this.o.onUpdate?.(identity);
    });
    this.installing = run.catch(() => undefined);
    return run;
  }

  /** Asks the swarm whether to renew now (RENEW, ROTATE) and which roots to trust. */
  async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      for (const addr of this.managerOrder()) {
        const client = nodeCa(addr, this.o.creds.client());
        try {
          const nodeId = this.identity.nodeId;
          const status = await call<NodeCertificateStatusResponse__Output>(
            (md, opts, cb) => client.NodeCertificateStatus({ nodeId }, md, opts, cb),
            this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          );
          this.polls++;
          const state = status.status?.state;
          const bundle = status.rootCaBundle.toString('utf8');
          if (bundle !== '' && bundle !== this.o.creds.current.rootPem && state === 'STATE_ISSUED')
            await this.install(status, true);
          if (state === 'STATE_RENEW' || state === 'STATE_ROTATE') this.renewNow();
          return;
        } catch (err) {
          this.lastPollError = err instanceof Error ? err : new Error(String(err));
          this.log.debug({ err, addr }, 'certificate status poll failed');
        } finally {
          client.close();
        }
      }
    } finally {
      this.polling = false;
    }
  }
}
