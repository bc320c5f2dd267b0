/** Errors of the CA, in the shared hierarchy. Messages name what was wrong. */
import {
  FailedPreconditionError,
  InvalidArgumentError,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
} from '../proto/shared/errors.ts';

/** A CSR, certificate, key or token that cannot be parsed or does not have the required form. */
export class MalformedCredentialError extends InvalidArgumentError {}

/** A join token that is not the swarm's current worker or manager token. */
export class InvalidJoinTokenError extends UnauthenticatedError {
  constructor(reason: string) {
    super(`invalid join token: ${reason}`);
  }
}

/** The root CA a manager presented does not match the digest pinned in the join token. */
export class RootCaMismatchError extends PermissionDeniedError {
  constructor(expected: string, got: string) {
    super(
      `the remote CA does not match the fingerprint in the join token (token pins ${expected}, remote CA is ${got})`,
    );
  }
}

/** A certificate outside its validity period. */
export class CertificateValidityError extends UnauthenticatedError {}

/** A certificate that does not chain to the swarm's root, belongs to another swarm, or has the wrong role. */
export class CertificateRejectedError extends PermissionDeniedError {}

/** The node's key material is encrypted (autolock) and no, or the wrong, unlock key was given. */
export class LockedError extends UnavailableError {
  constructor() {
    super(
      'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.',
    );
  }
}

export class InvalidUnlockKeyError extends UnauthenticatedError {
  constructor() {
    super('swarm could not be unlocked: invalid key provided');
  }
}

/** A settings value the CA cannot use (cert expiry below 1 h, ...). */
export class CaSettingError extends InvalidArgumentError {}

/** The CA has no signing key (an external root was given). */
export class NoSigningKeyError extends FailedPreconditionError {}
