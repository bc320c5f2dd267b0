/**
 * gRPC credentials from a node's certificate, key and trusted roots. They are built on certificate
 * providers, so a renewed certificate or a new trust bundle is used by every new connection at once
 * while connections already open stay up (what a root rotation needs).
 *
 * Servers request a client certificate but do not require one: the CA service answers nodes that have
 * none yet, and the per-RPC check (authz.ts) refuses everything else without a verified certificate.
 * Clients verify the server against the trusted roots and expect a manager certificate
 * (`swarm-manager` is in every manager's SANs) of this swarm.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerCertificate } from 'node:tls';
import type {
  CaCertificateUpdateListener,
  CertificateProvider,
  IdentityCertificateUpdateListener,
} from '@grpc/grpc-js/build/src/certificate-provider.js';
import { roleOu } from './pki.ts';

/** The name every manager certificate carries (its OU, in the SANs); clients check servers against it. */
export const MANAGER_SERVER_NAME = roleOu('manager');

export interface NodeTlsMaterial {
  /** The roots to trust, PEM (two during a root rotation). */
  readonly rootPem: string;
  /** The node certificate chain, leaf first, PEM. */
  readonly certPem: string;
  /** The node's private key, PKCS#8 PEM. */
  readonly keyPem: string;
}

/** A certificate provider whose material can be replaced at any time. */
class MutableProvider implements CertificateProvider {
  private readonly caListeners = new Set<CaCertificateUpdateListener>();
  private readonly idListeners = new Set<IdentityCertificateUpdateListener>();

  constructor(private m: NodeTlsMaterial) {}

  update(m: NodeTlsMaterial): void {
    this.m = m;
    for (const l of this.caListeners) l({ caCertificate: Buffer.from(m.rootPem) });
    for (const l of this.idListeners)
      l({ certificate: Buffer.from(m.certPem), privateKey: Buffer.from(m.keyPem) });
  }

  // The first update is delivered on the next turn: grpc-js registers its server watcher only after
  // adding these listeners, and would miss a synchronous update (the server would drop every connection).
  addCaCertificateListener(l: CaCertificateUpdateListener): void {
    this.caListeners.add(l);
    setImmediate(() => {
      if (this.caListeners.has(l)) l({ caCertificate: Buffer.from(this.m.rootPem) });
    });
  }
  removeCaCertificateListener(l: CaCertificateUpdateListener): void {
    this.caListeners.delete(l);
  }
  addIdentityCertificateListener(l: IdentityCertificateUpdateListener): void {
    this.idListeners.add(l);
    setImmediate(() => {
      if (this.idListeners.has(l))
        l({ certificate: Buffer.from(this.m.certPem), privateKey: Buffer.from(this.m.keyPem) });
    });
  }
  removeIdentityCertificateListener(l: IdentityCertificateUpdateListener): void {
    this.idListeners.delete(l);
  }
}

/**
 * The whole server identity check (it replaces TLS's host-name check: managers are known by role, not
 * by address): a manager certificate (OU and SAN `swarm-manager`) of this swarm (O).
 */
function serverIdentityCheck(clusterId: () => string | undefined) {
  return (_host: string, cert: PeerCertificate): Error | undefined => {
    const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
    const ou = subject.OU;
    const o = subject.O;
    const sans = (cert.subjectaltname ?? '').split(/,\s*/);
    if (ou !== MANAGER_SERVER_NAME || !sans.includes(`DNS:${MANAGER_SERVER_NAME}`))
      return new Error(`the server's certificate is not a swarm manager's (OU=${String(ou)})`);
    const want = clusterId();
    if (want !== undefined && o !== want)
      return new Error(`the server belongs to another swarm (O=${String(o)}, this swarm is ${want})`);
    return undefined;
  };
}

/**
 * A node's TLS identity for every cluster connection it makes or serves. `update()` swaps in renewed
 * material; open connections are kept.
 */
export class NodeTlsCredentials {
  private readonly provider: MutableProvider;
  private material: NodeTlsMaterial;

  constructor(
    material: NodeTlsMaterial,
    private readonly clusterId?: string,
  ) {
    this.material = material;
    this.provider = new MutableProvider(material);
  }

  get current(): NodeTlsMaterial {
    return this.material;
  }

  update(material: NodeTlsMaterial): void {
    this.material = material;
    this.provider.update(material);
  }

  /** Server credentials (client certificate requested, checked per RPC), with the given interceptors. */
  server(interceptors: grpc.ServerInterceptor[] = []): grpc.ServerCredentials {
    const creds = grpc.experimental.createCertificateProviderServerCredentials(
      this.provider,
      this.provider,
      false,
    );
    return interceptors.length > 0
      ? grpc.experimental.createServerCredentialsWithInterceptors(creds, interceptors)
      : creds;
  }

  /** Client credentials presenting this node's certificate and verifying a manager of this swarm. */
  client(): grpc.ChannelCredentials {
    const cluster = this.clusterId;
    return grpc.experimental.createCertificateProviderChannelCredentials(this.provider, this.provider, {
      checkServerIdentity: serverIdentityCheck(() => cluster),
    });
  }
}

/** Channel options every cluster client needs: managers are verified by the name in their SANs. */
export const CLUSTER_CHANNEL_OPTIONS: grpc.ChannelOptions = Object.freeze({
  'grpc.ssl_target_name_override': MANAGER_SERVER_NAME,
  'grpc.default_authority': MANAGER_SERVER_NAME,
});

/**
 * Credentials for a node with no certificate yet: TLS without verifying the server. Used only to fetch
 * the root CA, which the caller then checks against the join token's digest.
 */
export function unverifiedClientCredentials(): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(null, null, null, { rejectUnauthorized: false });
}

/** Credentials that verify the server against `rootPem` but present no certificate (joining with a token). */
export function anonymousClientCredentials(rootPem: string): grpc.ChannelCredentials {
  return grpc.credentials.createSsl(Buffer.from(rootPem), null, null, {
    checkServerIdentity: serverIdentityCheck(() => undefined),
  });
}
