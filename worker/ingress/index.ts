export { IngressProxy, DEFAULT_UDP_IDLE_TIMEOUT_MS } from './ingress-proxy.js';
export type { Backend, ConnectFn, IngressProxyOptions, IngressRoute } from './ingress-proxy.js';
export { PublishPortError } from './errors.js';
