import type { Service, Task } from '../store/types.ts';
/** Brings dirty slots of a service to its current spec, as its UpdateConfig says (manager/updater implements it). */
export interface Updater {
  /** `slots`: each slot's tasks that are desired RUNNING (replicated: by slot; global: by node). Idempotent for the same service.specVersion; a newer version replaces a running update. */
  update(service: Service, slots: readonly (readonly Task[])[]): void;
  /** Stops any update of this service (removed, or scaled to 0). */
  cancel(serviceId: string): void;
  stop(): Promise<void>;
}
