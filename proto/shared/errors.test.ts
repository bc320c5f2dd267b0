import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import {
  AlreadyExistsError,
  FailedPreconditionError,
  fromGrpcError,
  httpStatusOf,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  ShoalError,
  toGrpcError,
  UnauthenticatedError,
  UnavailableError,
} from './errors.ts';

const cases = [
  [new NotFoundError('service web not found'), 404, status.NOT_FOUND],
  [new AlreadyExistsError('service web already exists'), 409, status.ALREADY_EXISTS],
  [new InvalidArgumentError('bad', 'Spec.Name'), 400, status.INVALID_ARGUMENT],
  [new FailedPreconditionError('in use'), 400, status.FAILED_PRECONDITION],
  [new UnavailableError('no leader'), 503, status.UNAVAILABLE],
  [new UnauthenticatedError('bad key'), 401, status.UNAUTHENTICATED],
  [new PermissionDeniedError('worker'), 403, status.PERMISSION_DENIED],
  [new InternalError('broken'), 500, status.INTERNAL],
] as const;

describe('error hierarchy', () => {
  it.each(cases)('%s maps to HTTP %i and gRPC code %i, and back', (err, http, grpc) => {
    expect(err).toBeInstanceOf(ShoalError);
    expect(err.name).toBe(err.constructor.name);
    expect(httpStatusOf(err)).toBe(http);
    expect(toGrpcError(err)).toEqual({ code: grpc, details: err.message });
    const back = fromGrpcError({ code: grpc, details: err.message });
    expect(back).toBeInstanceOf(err.constructor);
    expect(back.message).toBe(err.message);
  });

  it('marks only Unavailable as retryable', () => {
    expect(cases.filter(([e]) => e.retryable).map(([e]) => e.code)).toEqual(['Unavailable']);
  });

  it('treats foreign errors as internal, and transport timeouts as unavailable', () => {
    expect(httpStatusOf(new TypeError('x'))).toBe(500);
    expect(toGrpcError(new TypeError('boom'))).toEqual({ code: status.INTERNAL, details: 'boom' });
    expect(fromGrpcError({ code: status.DEADLINE_EXCEEDED, details: 'deadline' })).toBeInstanceOf(
      UnavailableError,
    );
    expect(fromGrpcError(new Error('odd'))).toBeInstanceOf(InternalError);
  });

  it('keeps the offending field on InvalidArgument', () => {
    expect(
      new InvalidArgumentError('replicas must not be negative', 'Spec.Mode.Replicated.Replicas').field,
    ).toBe('Spec.Mode.Replicated.Replicas');
  });
});
