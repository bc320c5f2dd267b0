export {
  ServiceDns,
  readResolvConf,
  DEFAULT_TTL_SECONDS,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
} from './service-dns.js';
export type { DnsNetwork, DnsService, ServiceDnsOptions } from './service-dns.js';
