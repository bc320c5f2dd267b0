/**
 * The dispatcher's errors: the shared hierarchy (proto/shared/errors.ts) plus the one status the
 * dispatcher needs that it lacks.
 */
import { FailedPreconditionError } from '../../proto/shared/errors.ts';

export { NotFoundError, UnavailableError } from '../../proto/shared/errors.ts';

/**
 * Thrown at (sent on) an agent's older Session stream when the same node opened a newer one. It maps
 * to FAILED_PRECONDITION: the old stream must not be retried as is.
 */
export class AbortedError extends FailedPreconditionError {}
