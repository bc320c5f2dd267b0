/** The scheduler: places PENDING tasks on nodes. See README.md. */
export { Scheduler, isSchedulable, ASSIGNED_MESSAGE, type SchedulerOptions } from './scheduler.ts';
export {
  parseConstraints,
  constraintHolds,
  constraintsHold,
  CONSTRAINT_KEYS,
  type Constraint,
  type ConstraintKey,
  type ConstraintOperator,
} from './constraint.ts';
export { parseSpreadDescriptor } from './placement.ts';
