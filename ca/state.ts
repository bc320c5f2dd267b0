/**
 * The CA's replicated state and the commands that change it. `applyCaCommand` is pure and
 * deterministic: every manager applies the same committed commands in the same order and ends with the
 * same state. A command that does not apply (a node that was removed, a rotation that is not running)
 * leaves the state as it was and says why — the server checks before proposing, so this only happens
 * when two proposals race.
 */
import type { NodeRole } from './pki.ts';

/** What the swarm knows about one node's certificate. */
export interface CaNodeRecord {
  /** The role the node should hold; a certificate with another role is re-issued (promote, demote). */
  readonly desiredRole: NodeRole;
  /** The role in its current certificate. */
  readonly certRole: NodeRole;
  /** The current certificate chain (leaf first), PEM. */
  readonly certPem: string;
  readonly serial: string;
  /** The digest (tokens.rootCaDigest) of the root whose key signed the current certificate. */
  readonly issuer: string;
  /** Set by a root rotation: the node must renew now. */
  readonly rotate: boolean;
}

export interface RootRotation {
  readonly nextCertPem: string;
  readonly nextKeyPem: string;
  /** The new root cross-signed by the old key; shipped with every leaf until the rotation ends. */
  readonly crossPem: string;
  /** Digest of the new root: a node is done when its issuer is this. */
  readonly nextDigest: string;
}

export interface CaState {
  readonly clusterId: string;
  /** The root joining nodes pin (the join tokens' digest). During a rotation, still the old root. */
  readonly rootCertPem: string;
  /** The root's key; absent for an external root whose key stays outside the swarm. */
  readonly rootKeyPem: string | null;
  readonly rotation: RootRotation | null;
  readonly joinTokens: { readonly worker: string; readonly manager: string };
  readonly nodeCertExpiryMs: number;
  readonly nodes: Readonly<Record<string, CaNodeRecord>>;
  /** Removed node IDs, remembered for good: their certificates are refused. */
  readonly removed: readonly string[];
  /** The unlock key while autolock is on (managers fetch it with CA.GetUnlockKey). */
  readonly unlockKey: string | null;
}

export type CaCommand =
  | { readonly op: 'init'; readonly state: CaState }
  | {
      readonly op: 'issued';
      readonly nodeId: string;
      readonly role: NodeRole;
      readonly certPem: string;
      readonly serial: string;
      readonly issuer: string;
    }
  | { readonly op: 'setRole'; readonly nodeId: string; readonly role: NodeRole }
  | { readonly op: 'removeNode'; readonly nodeId: string }
  | { readonly op: 'setJoinToken'; readonly role: NodeRole; readonly token: string }
  | { readonly op: 'setCertExpiry'; readonly ms: number }
  | { readonly op: 'setUnlockKey'; readonly unlockKey: string | null }
  | { readonly op: 'startRootRotation'; readonly rotation: RootRotation }
  | { readonly op: 'markRotate'; readonly nodeIds: readonly string[] }
  | {
      readonly op: 'finishRootRotation';
      readonly joinTokens: { readonly worker: string; readonly manager: string };
    };

export type ApplyResult = { readonly state: CaState | null; readonly refused?: string };

/** Applies one committed command. Pure: the same inputs give the same output on every manager. */
export function applyCaCommand(state: CaState | null, cmd: CaCommand): ApplyResult {
  if (cmd.op === 'init') {
    if (state) return { state, refused: 'the CA is already initialised' };
    return { state: cmd.state };
  }
  if (!state) return { state, refused: `${cmd.op}: the CA is not initialised` };
  switch (cmd.op) {
    case 'issued': {
      if (state.removed.includes(cmd.nodeId))
        return { state, refused: `node ${cmd.nodeId} was removed from the swarm` };
      const prev = state.nodes[cmd.nodeId];
      const rec: CaNodeRecord = {
        desiredRole: prev?.desiredRole ?? cmd.role,
        certRole: cmd.role,
        certPem: cmd.certPem,
        serial: cmd.serial,
        issuer: cmd.issuer,
        rotate: state.rotation !== null && cmd.issuer !== state.rotation.nextDigest,
      };
      return { state: { ...state, nodes: { ...state.nodes, [cmd.nodeId]: rec } } };
    }
    case 'setRole': {
      const prev = state.nodes[cmd.nodeId];
      if (!prev) return { state, refused: `node ${cmd.nodeId} not found` };
      return {
        state: { ...state, nodes: { ...state.nodes, [cmd.nodeId]: { ...prev, desiredRole: cmd.role } } },
      };
    }
    case 'removeNode': {
      if (state.removed.includes(cmd.nodeId)) return { state };
      const nodes = { ...state.nodes };
      delete nodes[cmd.nodeId];
      return { state: { ...state, nodes, removed: [...state.removed, cmd.nodeId] } };
    }
    case 'setJoinToken':
      return { state: { ...state, joinTokens: { ...state.joinTokens, [cmd.role]: cmd.token } } };
    case 'setCertExpiry':
      return { state: { ...state, nodeCertExpiryMs: cmd.ms } };
    case 'setUnlockKey':
      return { state: { ...state, unlockKey: cmd.unlockKey } };
    case 'startRootRotation':
      if (state.rotation) return { state, refused: 'a root rotation is already in progress' };
      return { state: { ...state, rotation: cmd.rotation } };
    case 'markRotate': {
      const nodes = { ...state.nodes };
      for (const id of cmd.nodeIds) {
        const n = nodes[id];
        if (n) nodes[id] = { ...n, rotate: true };
      }
      return { state: { ...state, nodes } };
    }
    case 'finishRootRotation': {
      const r = state.rotation;
      if (!r) return { state, refused: 'no root rotation is in progress' };
      const nodes: Record<string, CaNodeRecord> = {};
      for (const [id, n] of Object.entries(state.nodes)) nodes[id] = { ...n, rotate: false };
      return {
        state: {
          ...state,
          rootCertPem: r.nextCertPem,
          rootKeyPem: r.nextKeyPem,
          rotation: null,
          joinTokens: cmd.joinTokens,
          nodes,
        },
      };
    }
  }
}

/** Nodes whose certificate is not yet from the new root during a rotation. */
export function nodesNotRotated(state: CaState): string[] {
  const r = state.rotation;
  if (!r) return [];
  return Object.entries(state.nodes)
    .filter(([, n]) => n.issuer !== r.nextDigest)
    .map(([id]) => id)
    .sort();
}

/** Encodes a command for a raft proposal. */
export function encodeCaCommand(cmd: CaCommand): Buffer {
  return Buffer.from(JSON.stringify(cmd));
}

/** Decodes a committed command; throws on bytes that are not one. */
export function decodeCaCommand(data: Uint8Array): CaCommand {
  const v: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
  if (typeof v !== 'object' || v === null || typeof (v as { op?: unknown }).op !== 'string')
    throw new Error('ca: a raft entry that is not a CA command');
  return v as CaCommand;
}
