/**
 * The one error hierarchy of Shoal. Every layer throws these (or wraps what it catches in them), so
 * the HTTP API and gRPC map them to statuses in one place. Messages name the field and the bad value.
 * `retryable` says whether repeating the same call later may succeed; callers branch on it, never on
 * message text.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';

export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'InvalidArgument'
  | 'FailedPrecondition'
  | 'Unavailable'
  | 'Unauthenticated'
  | 'PermissionDenied'
  | 'Internal';

interface CodeInfo {
  readonly httpStatus: number;
  readonly grpcCode: GrpcStatus;
  readonly retryable: boolean;
}

/** Docker's statuses for each code (moby `errdefs`), and the matching gRPC code. */
const CODES: Readonly<Record<ErrorCode, CodeInfo>> = {
  NotFound: { httpStatus: 404, grpcCode: GrpcStatus.NOT_FOUND, retryable: false },
  AlreadyExists: { httpStatus: 409, grpcCode: GrpcStatus.ALREADY_EXISTS, retryable: false },
  InvalidArgument: { httpStatus: 400, grpcCode: GrpcStatus.INVALID_ARGUMENT, retryable: false },
  FailedPrecondition: { httpStatus: 400, grpcCode: GrpcStatus.FAILED_PRECONDITION, retryable: false },
  Unavailable: { httpStatus: 503, grpcCode: GrpcStatus.UNAVAILABLE, retryable: true },
  Unauthenticated: { httpStatus: 401, grpcCode: GrpcStatus.UNAUTHENTICATED, retryable: false },
  PermissionDenied: { httpStatus: 403, grpcCode: GrpcStatus.PERMISSION_DENIED, retryable: false },
  Internal: { httpStatus: 500, grpcCode: GrpcStatus.INTERNAL, retryable: false },
};

/** Base of every Shoal error. Use a subclass; the code decides the HTTP status and gRPC code. */
export abstract class ShoalError extends Error {
  abstract readonly code: ErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }

  get httpStatus(): number {
    return CODES[this.code].httpStatus;
  }

  get grpcCode(): GrpcStatus {
    return CODES[this.code].grpcCode;
  }

  get retryable(): boolean {
    return CODES[this.code].retryable;
  }
}

/** An object named by the caller does not exist (`service web not found`). */
export class NotFoundError extends ShoalError {
  readonly code = 'NotFound';
}

/** A create would clash with an existing object's name or ID. */
export class AlreadyExistsError extends ShoalError {
  readonly code = 'AlreadyExists';
}

/** The request itself is wrong, whatever the cluster's state: a bad field value, a malformed token. */
export class InvalidArgumentError extends ShoalError {
  readonly code = 'InvalidArgument';

  /**
   * @param field the path of the offending field, as the user wrote it (`Spec.Mode.Replicated.Replicas`).
   */
  constructor(
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The request is valid but the cluster is not in a state that allows it (secret in use, stale version). */
export class FailedPreconditionError extends ShoalError {
  readonly code = 'FailedPrecondition';
}

/** The service cannot answer now (no leader, quorum lost, node locked); retrying later may work. */
export class UnavailableError extends ShoalError {
  readonly code = 'Unavailable';
}

/** The caller could not be identified (no or bad certificate, wrong unlock key). */
export class UnauthenticatedError extends ShoalError {
  readonly code = 'Unauthenticated';
}

/** The caller is known but not allowed (a worker calling a manager-only RPC, another swarm's node). */
export class PermissionDeniedError extends ShoalError {
  readonly code = 'PermissionDenied';
}

/** A broken invariant or an unexpected failure inside Shoal. */
export class InternalError extends ShoalError {
  readonly code = 'Internal';
}

const CONSTRUCTORS: Readonly<Record<ErrorCode, new (message: string) => ShoalError>> = {
  NotFound: NotFoundError,
  AlreadyExists: AlreadyExistsError,
  InvalidArgument: InvalidArgumentError,
  FailedPrecondition: FailedPreconditionError,
  Unavailable: UnavailableError,
  Unauthenticated: UnauthenticatedError,
  PermissionDenied: PermissionDeniedError,
  Internal: InternalError,
};

/** The HTTP status for any thrown value: its code's status, or 500 for anything that is not a ShoalError. */
export function httpStatusOf(err: unknown): number {
  return err instanceof ShoalError ? err.httpStatus : 500;
}

/** What a grpc-js handler passes to its callback to fail a call with this error. */
export interface GrpcErrorPayload {
  readonly code: GrpcStatus;
  readonly details: string;
}

/** Turns any thrown value into a gRPC status; non-Shoal errors become INTERNAL. */
export function toGrpcError(err: unknown): GrpcErrorPayload {
  if (err instanceof ShoalError) return { code: err.grpcCode, details: err.message };
  return { code: GrpcStatus.INTERNAL, details: err instanceof Error ? err.message : String(err) };
}

/**
 * Turns an error received from a gRPC call back into a ShoalError, so a forwarded call fails on the
 * follower exactly as it did on the leader. Transport-level failures (deadline, cancelled) are Unavailable.
 */
export function fromGrpcError(err: unknown): ShoalError {
  if (err instanceof ShoalError) return err;
  const e = err as { code?: unknown; details?: unknown; message?: unknown };
  const details =
    typeof e.details === 'string' ? e.details : typeof e.message === 'string' ? e.message : String(err);
  const code: number = typeof e.code === 'number' ? e.code : Number(GrpcStatus.UNKNOWN);
  const match = (Object.keys(CODES) as ErrorCode[]).find((c) => Number(CODES[c].grpcCode) === code);
  if (match) return new CONSTRUCTORS[match](details);
  if (code === Number(GrpcStatus.DEADLINE_EXCEEDED) || code === Number(GrpcStatus.CANCELLED))
    return new UnavailableError(details);
  return new InternalError(details);
}
