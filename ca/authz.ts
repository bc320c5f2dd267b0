/**
 * Per-RPC authorization from the caller's certificate. TLS has already checked that a presented client
 * certificate chains to a root this node trusts and is within its validity period (otherwise grpc-js
 * reports no peer certificate at all); here every call is checked for:
 *
 * - a verified certificate, unless the method is open (fetching the root CA, joining with a token);
 * - the swarm: O must be this cluster's ID;
 * - the node: not removed from the swarm;
 * - the role: OU `swarm-manager` for manager-only methods (everything not listed as open or node-level).
 *
 * Each refusal names what was wrong. Deny by default: a method missing from the table is manager-only.
 */
import * as grpc from '@grpc/grpc-js';
import type { AuthContext } from '@grpc/grpc-js/build/src/auth-context.js';
import { PermissionDeniedError, UnauthenticatedError } from '../proto/shared/errors.ts';
import { identityOf, type NodeIdentity } from './pki.ts';

/** Who may call a method: anyone (TLS, no certificate needed), any node of the swarm, or managers. */
export type Access = 'open' | 'node' | 'manager';

const OPEN: readonly string[] = [
  '/shoal.api.CA/GetRootCACertificate',
  '/shoal.api.NodeCA/IssueNodeCertificate',
  '/shoal.api.NodeCA/NodeCertificateStatus',
];
const NODE_SERVICES: readonly string[] = ['/shoal.api.Dispatcher/', '/shoal.api.LogBroker/'];

/** The access rule for a method path such as `/shoal.api.Raft/StreamRaftMessage`. */
export function accessFor(path: string): Access {
  if (OPEN.includes(path)) return 'open';
  if (NODE_SERVICES.some((p) => path.startsWith(p))) return 'node';
  return 'manager';
}

export interface AuthzContext {
  /** This swarm's ID (the O every node certificate must carry). */
  clusterId(): string;
  isRemoved(nodeId: string): boolean;
  now?: () => Date;
}

const identities = new Map<string, NodeIdentity>();
const IDENTITY_CACHE_SIZE = 4096;

/**
 * The identity in the caller's TLS certificate, or undefined when it presented none that TLS verified.
 * Throws PermissionDenied for a verified certificate that is not a swarm node certificate.
 */
export function peerIdentity(auth: AuthContext | undefined): NodeIdentity | undefined {
  const cert = auth?.sslPeerCertificate;
  if (!cert?.raw) return undefined;
  const key = cert.fingerprint256;
  let id = identities.get(key);
  if (!id) {
    try {
      id = identityOf(
        `-----BEGIN CERTIFICATE-----\n${cert.raw.toString('base64')}\n-----END CERTIFICATE-----`,
      );
    } catch (err) {
      throw new PermissionDeniedError(err instanceof Error ? err.message : String(err));
    }
    if (identities.size >= IDENTITY_CACHE_SIZE) identities.clear();
    identities.set(key, id);
  }
  return id;
}

/**
 * Checks a caller against a method's rule; returns its identity (undefined for an open method called
 * without a certificate) or throws Unauthenticated / PermissionDenied naming the problem.
 */
export function authorize(
  path: string,
  auth: AuthContext | undefined,
  ctx: AuthzContext,
): NodeIdentity | undefined {
  const access = accessFor(path);
  const id = peerIdentity(auth);
  if (!id) {
    if (access === 'open') return undefined;
    throw new UnauthenticatedError(
      `${path} needs a certificate issued by this swarm's CA; the caller presented none, or one that is ` +
        'self-signed, expired, or from another swarm',
    );
  }
  const cluster = ctx.clusterId();
  if (id.clusterId !== cluster)
    throw new PermissionDeniedError(
      `the caller's certificate (node ${id.nodeId}) belongs to swarm ${id.clusterId}, not to this swarm (${cluster})`,
    );
  const now = ctx.now?.() ?? new Date();
  if (now > id.notAfter)
    throw new UnauthenticatedError(
      `the certificate of node ${id.nodeId} expired at ${id.notAfter.toISOString()}`,
    );
  if (ctx.isRemoved(id.nodeId))
    throw new PermissionDeniedError(`node ${id.nodeId} was removed from the swarm; it must join again`);
  if (access === 'manager' && id.role !== 'manager')
    throw new PermissionDeniedError(
      `${path} is for managers only; the caller (node ${id.nodeId}) is a ${id.role}`,
    );
  return id;
}

/** A server interceptor that runs {@link authorize} before any handler sees the call. */
export function authzInterceptor(ctx: AuthzContext): grpc.ServerInterceptor {
  return (method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        next({
          onReceiveMetadata: (md, mdNext) => {
            try {
              authorize(method.path, call.getAuthContext(), ctx);
            } catch (err) {
              const code =
                err instanceof PermissionDeniedError
                  ? grpc.status.PERMISSION_DENIED
                  : grpc.status.UNAUTHENTICATED;
              call.sendStatus({ code, details: err instanceof Error ? err.message : String(err) });
              return;
            }
            mdNext(md);
          },
        });
      },
    });
}
