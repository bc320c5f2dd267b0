/** The control API's public surface (see README.md). */
export { ControlApi, type ControlApiOptions } from './controlapi.ts';
export { initCluster, type InitClusterOptions } from './cluster.ts';
export { CLUSTER_DEFAULTS, SERVICE_DEFAULTS, defaultClusterSpec, withDefaults } from './defaults.ts';
export { parseReference, type ImageReference } from './reference.ts';
export {
  CONTROL_RPCS,
  controlHandlers,
  forwardingControl,
  registerControl,
  type ControlMethods,
  type ControlService,
  type ForwardingOptions,
  type LeaderView,
} from './rpc.ts';
export { MAX_DATA_BYTES, checkConstraints, type ConstraintParser } from './validate.ts';
