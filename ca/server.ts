/**
 * The CA and NodeCA gRPC services on a manager.
 *
 * - CA.GetRootCACertificate: the root joining nodes pin (open: a joiner has no certificate yet).
 * - CA.GetUnlockKey: the unlock key, managers only (authz.ts).
 * - NodeCA.IssueNodeCertificate: with a join token, the role comes from the token (constant-time
 *   comparison) and the CA mints the node ID; with the caller's certificate and no token, a renewal
 *   with the role the swarm wants the node to have (so promote and demote re-issue). Only the leader
 *   signs; a follower answers UNAVAILABLE with the leader's address in the `shoal-leader-addr` header.
 * - NodeCA.NodeCertificateStatus: the node's current certificate, whether it must renew (RENEW after a
 *   role change, ROTATE during a root rotation) and the roots it should trust now.
 *
 * A refused request changes nothing.
 */
import * as grpc from '@grpc/grpc-js';
import type { CAHandlers } from '../proto/gen/shoal/api/CA.ts';
import type { NodeCAHandlers } from '../proto/gen/shoal/api/NodeCA.ts';
import type { NodeRole as ProtoNodeRole } from '../proto/gen/shoal/api/NodeRole.ts';
import type { Logger } from '../proto/shared/log.ts';
import { silentLogger } from '../proto/shared/log.ts';
import {
  NotFoundError,
  PermissionDeniedError,
  ShoalError,
  UnauthenticatedError,
  UnavailableError,
  toGrpcError,
} from '../proto/shared/errors.ts';
import { newId } from '../proto/shared/ids.ts';
import { grpcServices } from '../proto/load.ts';
import { peerIdentity } from './authz.ts';
import { identityOf, parseCsr, splitPemBundle, type NodeRole } from './pki.ts';
import type { CaStore } from './store.ts';
import { rootCaDigest, roleForToken } from './tokens.ts';

/** Response header on a follower's UNAVAILABLE: where the leader's CA is. */
export const LEADER_ADDR_HEADER = 'shoal-leader-addr';

export interface Leadership {
  readonly isLeader: boolean;
  /** The leader's cluster address when known and not this node. */
  readonly leaderAddr: string | null;
}

export interface CaServerOptions {
  readonly store: CaStore;
  readonly leadership: () => Leadership;
  readonly log?: Logger;
}

/** Follower answer: retry on the leader. */
class NotLeaderRedirect extends UnavailableError {
  constructor(readonly leaderAddr: string | null) {
    super(
      leaderAddr
        ? `this manager is not the leader; the CA is served by the leader at ${leaderAddr}`
        : 'this manager is not the leader and no leader is known (is quorum lost?)',
    );
  }
}

export function protoRole(role: NodeRole): ProtoNodeRole {
  return role === 'manager' ? 'NODE_ROLE_MANAGER' : 'NODE_ROLE_WORKER';
}

function fail(err: unknown): grpc.ServerErrorResponse {
  const p = toGrpcError(err);
  const e: grpc.ServerErrorResponse = Object.assign(new Error(p.details), {
    code: p.code,
    details: p.details,
  });
  if (err instanceof NotLeaderRedirect && err.leaderAddr) {
    const md = new grpc.Metadata();
    md.set(LEADER_ADDR_HEADER, err.leaderAddr);
    e.metadata = md;
  }
  return e;
}

export class CaServer {
  private readonly log: Logger;

  constructor(private readonly o: CaServerOptions) {
    this.log = (o.log ?? silentLogger()).child({ component: 'ca' });
  }

  /** Adds the CA and NodeCA services to a server. */
  register(server: grpc.Server): void {
    const api = grpcServices().shoal.api;
    server.addService(api.CA.service, this.caHandlers());
    server.addService(api.NodeCA.service, this.nodeCaHandlers());
  }

  /** The CA state, or a redirect to the leader while this manager has not caught up with it. */
  private ready(): CaStore {
    const store = this.o.store;
    if (!store.initialised) {
      const lead = this.o.leadership();
      if (!lead.isLeader) throw new NotLeaderRedirect(lead.leaderAddr);
    }
    return store;
  }

  caHandlers(): CAHandlers {
    return {
      GetRootCACertificate: (_call, cb) => {
        try {
          const store = this.ready();
          cb(null, { certificate: Buffer.from(store.state.rootCertPem) });
        } catch (err) {
          cb(fail(err));
        }
      },
      GetUnlockKey: (_call, cb) => {
        try {
          const store = this.ready();
          cb(null, { unlockKey: Buffer.from(store.state.unlockKey ?? ''), versionIndex: 0 });
        } catch (err) {
          cb(fail(err));
        }
      },
    };
  }

  nodeCaHandlers(): NodeCAHandlers {
    return {
      IssueNodeCertificate: (call, cb) => {
        this.issue(call.request.csr, call.request.token, call.getAuthContext()).then(
          (nodeId) => cb(null, { nodeId: nodeId, nodeMembership: 'accepted' }),
          (err: unknown) => {
            if (!(err instanceof ShoalError)) this.log.error({ err }, 'certificate issuance failed');
            cb(fail(err));
          },
        );
      },
      NodeCertificateStatus: (call, cb) => {
        try {
          const store = this.ready();
          const id = call.request.nodeId;
          if (store.isRemoved(id)) throw new PermissionDeniedError(`node ${id} was removed from the swarm`);
          const n = store.node(id);
          if (!n) throw new NotFoundError(`node ${id} has no certificate in this swarm`);
          const state = n.rotate
            ? 'STATE_ROTATE'
            : n.desiredRole !== n.certRole
              ? 'STATE_RENEW'
              : 'STATE_ISSUED';
          cb(null, {
            status: { state },
            certificate: {
              role: protoRole(n.certRole),
              certificate: Buffer.from(n.certPem),
              cn: id,
              status: { state },
            },
            rootCaBundle: Buffer.from(store.trustBundle()),
          });
        } catch (err) {
          cb(fail(err));
        }
      },
    };
  }

  /** Signs a CSR for a joining node (token) or a renewing one (certificate); returns the node ID. */
  private async issue(
    csrBytes: Buffer,
    token: string,
    auth: ReturnType<grpc.ServerUnaryCall<unknown, unknown>['getAuthContext']>,
  ): Promise<string> {
    const store = this.ready();
    const state = store.state;
    const csrPem = csrBytes.toString('utf8');
    await parseCsr(csrPem);
    let nodeId: string;
    let role: NodeRole;
    if (token !== '') {
      role = roleForToken(token, state.joinTokens);
      nodeId = newId<'node'>();
    } else {
      const caller = peerIdentity(auth);
      if (!caller)
        throw new UnauthenticatedError(
          'a join token or a certificate issued by this swarm is needed to get a certificate',
        );
      if (caller.clusterId !== state.clusterId)
        throw new PermissionDeniedError(`the caller's certificate belongs to swarm ${caller.clusterId}`);
      if (store.isRemoved(caller.nodeId))
        throw new PermissionDeniedError(
          `node ${caller.nodeId} was removed from the swarm; it must join again`,
        );
      nodeId = caller.nodeId;
      role = store.node(nodeId)?.desiredRole ?? caller.role;
    }
    const lead = this.o.leadership();
    if (!lead.isLeader) throw new NotLeaderRedirect(lead.leaderAddr);
    const signer = await store.signer();
    const certPem = await signer.issue(
      csrPem,
      { nodeId, clusterId: state.clusterId, role },
      { expiryMs: state.nodeCertExpiryMs },
    );
    const signingRoot = state.rotation ? state.rotation.nextCertPem : state.rootCertPem;
    await store.propose({
      op: 'issued',
      nodeId,
      role,
      certPem,
      serial: identityOf(splitPemBundle(certPem)[0] ?? certPem).serialNumber,
      issuer: rootCaDigest(signingRoot),
    });
    this.log.info({ nodeId, role }, token ? 'node joined' : 'certificate renewed');
    return nodeId;
  }
}
