/**
 * The defaults docker's compose loader and converter fill in, in one place. Each is what
 * `docker stack deploy` sends when the compose file leaves the value out.
 */
export const COMPOSE_DEFAULTS = Object.freeze({
  /** Driver of networks the stack creates (deploy_composefile.go `defaultNetworkDriver`). */
  networkDriver: 'overlay',
  /** The network services without `networks:` attach to, as `<ns>_default`. */
  defaultNetwork: 'default',
  /** Secret and config files: mode 0444 (292), owned by uid/gid "0". */
  fileRefMode: 0o444,
  fileRefUid: '0',
  fileRefGid: '0',
  /** `update_config`/`rollback_config` without `parallelism`. */
  updateParallelism: 1,
  /** Ports without `protocol` / `mode`. */
  portProtocol: 'tcp',
  portMode: 'ingress',
});
