/**
 * How the API answers, in the exact encoding the docker CLI needs: JSON with `Content-Type:
 * application/json` (no charset suffix, which makes both CLIs print raw JSON) and a Content-Length;
 * errors as `{"message": …}` with Docker's statuses and wording.
 */
import type { FastifyReply } from 'fastify';
import { LockedError } from '../../ca/errors.ts';
import { ShoalError, httpStatusOf } from '../../proto/shared/errors.ts';

/** Sends `body` as JSON with exactly `application/json`. */
export function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  const text = JSON.stringify(body) ?? 'null';
  return reply
    .code(status)
    .header('content-type', 'application/json')
    .header('content-length', Buffer.byteLength(text))
    .send(Buffer.from(text));
}

/** An error with an HTTP status chosen by the API itself (bad query, bad body, bad version). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const GRPC_PREFIXED: Readonly<Record<string, string>> = {
  AlreadyExists: 'AlreadyExists',
  FailedPrecondition: 'FailedPrecondition',
};

/**
 * Docker's status and message for a thrown value. Store conflicts keep swarmkit's gRPC wording
 * (`rpc error: code = AlreadyExists desc = …`), which the docker CLI users know; a stale version is
 * Docker's 500 "update out of sequence".
 */
export function dockerError(err: unknown): { status: number; message: string } {
  if (err instanceof HttpError) return { status: err.status, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  if (message === 'update out of sequence')
    return { status: 500, message: 'rpc error: code = Unknown desc = update out of sequence' };
  if (err instanceof LockedError) return { status: 503, message };
  if (err instanceof ShoalError) {
    const prefix = GRPC_PREFIXED[err.code];
    const shown =
      prefix && !message.startsWith('rpc error:') && isStoreConflict(err.code, message)
        ? `rpc error: code = ${prefix} desc = ${message}`
        : message;
    return { status: httpStatusOf(err), message: shown };
  }
  return { status: 500, message };
}

function isStoreConflict(code: string, message: string): boolean {
  if (code === 'AlreadyExists') return true;
  return /can't be removed|is not down|is a cluster manager/.test(message);
}

export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, message } = dockerError(err);
  return json(reply, status, { message });
}
