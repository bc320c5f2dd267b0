/** worker/network: the VXLAN overlay data plane (see README.md). */
export { OverlayDriver } from './driver.ts';
export type { OverlayDriverOptions, OverlayState, ReconcileReport } from './driver.ts';
export { NetNs } from './netns.ts';
export type {
  AddressEntry,
  FdbEntry,
  LinkInfo,
  NeighborEntry,
  RouteEntry,
  VethOptions,
  VxlanOptions,
} from './netns.ts';
export { planNetwork, planTeardown, overlayMtu, effectivePeers, taskIfname } from './plan.ts';
export type {
  DesiredNetwork,
  ObservedNetwork,
  ObservedTask,
  OverlayNetwork,
  Peer,
  PlanOp,
  TaskAttachment,
} from './plan.ts';
export { NetlinkError, NativeAddonMissingError } from './errors.ts';
export { macFromIp } from './addr.ts';
