/**
 * The updater as the orchestrators see it. Declared here, structurally identical to
 * `manager/orchestrator/updater-api.ts`, so either side can be built first.
 */
import type { Service, Task } from '../store/types.ts';

export interface Updater {
  /**
   * `slots`: each slot's tasks desired RUNNING (replicated: by slot; global: by node). Idempotent for
   * the same service.specVersion; a newer version replaces a running update.
   */
  update(service: Service, slots: readonly (readonly Task[])[]): void;
  /** Stops any update of this service (removed, or scaled to 0). */
  cancel(serviceId: string): void;
  stop(): Promise<void>;
}
