/**
 * One open Assignments stream: a COMPLETE message with the node's whole set, then INCREMENTAL
 * messages with what changed, collected for `batchMs` and split at `maxChanges` per message. Each
 * message names the one before it (`appliesTo` = the previous `resultsIn`), so an agent that missed
 * one notices and reopens the stream.
 */
import type * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import type { AssignmentChange } from '../../proto/gen/shoal/api/AssignmentChange.ts';
import type { AssignmentsMessage } from '../../proto/gen/shoal/api/AssignmentsMessage.ts';
import type { AssignmentsRequest__Output } from '../../proto/gen/shoal/api/AssignmentsRequest.ts';
import type { ReadTx } from '../store/memory.ts';
import { assignmentsFor, chunk, diffAssignments, emptySent } from './assignments.ts';
import { serviceError } from './session.ts';

export type AssignmentsCall = grpc.ServerWritableStream<AssignmentsRequest__Output, AssignmentsMessage>;

export interface AssignmentStreamOptions {
  readonly store: ReadTx;
  readonly nodeId: string;
  readonly batchMs: number;
  readonly maxChanges: number;
  /** Called once when the stream ends, whoever ended it. */
  readonly onClose: () => void;
}

export class AssignmentStream {
  private readonly sent = emptySent();
  private last = '';
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly call: AssignmentsCall,
    private readonly o: AssignmentStreamOptions,
  ) {
    call.on('cancelled', () => this.finish());
  }

  /** Sends the COMPLETE message. */
  start(): void {
    const changes = diffAssignments(this.sent, assignmentsFor(this.o.store, this.o.nodeId));
    this.send('TYPE_COMPLETE', changes);
  }

  /** Something the node may hold changed: send the difference after the batching window. */
  dirty(): void {
    if (this.closed) return;
    this.timer ??= setTimeout(() => this.flush(), this.o.batchMs);
  }

  /** Sends pending changes now (also what the batching timer does). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    const changes = diffAssignments(this.sent, assignmentsFor(this.o.store, this.o.nodeId));
    for (const part of chunk(changes, this.o.maxChanges)) this.send('TYPE_INCREMENTAL', part);
  }

  /** Ends the stream: with an error status, or OK when `err` is undefined. */
  close(err?: unknown): void {
    if (this.closed) return;
    this.finish();
    if (this.call.cancelled) return;
    if (err === undefined) this.call.end();
    else this.call.emit('error', serviceError(err));
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.o.onClose();
  }

  private send(type: 'TYPE_COMPLETE' | 'TYPE_INCREMENTAL', changes: AssignmentChange[]): void {
    const resultsIn = randomBytes(12).toString('hex');
    this.call.write({ type, appliesTo: this.last, resultsIn, changes });
    this.last = resultsIn;
  }
}
