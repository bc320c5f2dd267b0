// Original file: proto/shoal/api/task_spec.proto

import type { Privileges as _shoal_api_Privileges, Privileges__Output as _shoal_api_Privileges__Output } from '../../shoal/api/Privileges.ts';
import type { Mount as _shoal_api_Mount, Mount__Output as _shoal_api_Mount__Output } from '../../shoal/api/Mount.ts';
import type { HealthConfig as _shoal_api_HealthConfig, HealthConfig__Output as _shoal_api_HealthConfig__Output } from '../../shoal/api/HealthConfig.ts';
import type { DNSConfig as _shoal_api_DNSConfig, DNSConfig__Output as _shoal_api_DNSConfig__Output } from '../../shoal/api/DNSConfig.ts';
import type { SecretReference as _shoal_api_SecretReference, SecretReference__Output as _shoal_api_SecretReference__Output } from '../../shoal/api/SecretReference.ts';
import type { ConfigReference as _shoal_api_ConfigReference, ConfigReference__Output as _shoal_api_ConfigReference__Output } from '../../shoal/api/ConfigReference.ts';
import type { Ulimit as _shoal_api_Ulimit, Ulimit__Output as _shoal_api_Ulimit__Output } from '../../shoal/api/Ulimit.ts';
import type { Long } from '@grpc/proto-loader';

/**
 * ContainerSpec is what a task runs: an image and a command, with everything the engine needs.
 */
export interface ContainerSpec {
  'image'?: (string);
  'labels'?: ({[key: string]: string});
  'command'?: (string)[];
  'args'?: (string)[];
  'hostname'?: (string);
  'env'?: (string)[];
  'dir'?: (string);
  'user'?: (string);
  'groups'?: (string)[];
  'privileges'?: (_shoal_api_Privileges | null);
  'init'?: (boolean);
  'tty'?: (boolean);
  'openStdin'?: (boolean);
  'readOnly'?: (boolean);
  'mounts'?: (_shoal_api_Mount)[];
  'stopSignal'?: (string);
  'stopGracePeriod'?: (number | string | Long);
  'healthcheck'?: (_shoal_api_HealthConfig | null);
  'hosts'?: (string)[];
  'dnsConfig'?: (_shoal_api_DNSConfig | null);
  'secrets'?: (_shoal_api_SecretReference)[];
  'configs'?: (_shoal_api_ConfigReference)[];
  'isolation'?: (string);
  'sysctls'?: ({[key: string]: string});
  'capabilityAdd'?: (string)[];
  'capabilityDrop'?: (string)[];
  'ulimits'?: (_shoal_api_Ulimit)[];
  'oomScoreAdj'?: (number | string | Long);
  '_init'?: "init";
  '_stopGracePeriod'?: "stopGracePeriod";
}

/**
 * ContainerSpec is what a task runs: an image and a command, with everything the engine needs.
 */
export interface ContainerSpec__Output {
  'image': (string);
  'labels': ({[key: string]: string});
  'command': (string)[];
  'args': (string)[];
  'hostname': (string);
  'env': (string)[];
  'dir': (string);
  'user': (string);
  'groups': (string)[];
  'privileges': (_shoal_api_Privileges__Output | null);
  'init'?: (boolean);
  'tty': (boolean);
  'openStdin': (boolean);
  'readOnly': (boolean);
  'mounts': (_shoal_api_Mount__Output)[];
  'stopSignal': (string);
  'stopGracePeriod'?: (number);
  'healthcheck': (_shoal_api_HealthConfig__Output | null);
  'hosts': (string)[];
  'dnsConfig': (_shoal_api_DNSConfig__Output | null);
  'secrets': (_shoal_api_SecretReference__Output)[];
  'configs': (_shoal_api_ConfigReference__Output)[];
  'isolation': (string);
  'sysctls': ({[key: string]: string});
  'capabilityAdd': (string)[];
  'capabilityDrop': (string)[];
  'ulimits': (_shoal_api_Ulimit__Output)[];
  'oomScoreAdj': (number);
  '_init'?: "init";
  '_stopGracePeriod'?: "stopGracePeriod";
}
