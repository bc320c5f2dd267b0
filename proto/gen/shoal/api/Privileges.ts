// Original file: proto/shoal/api/task_spec.proto


export interface _shoal_api_Privileges_AppArmor {
  'mode'?: (string);
}

export interface _shoal_api_Privileges_AppArmor__Output {
  'mode': (string);
}

export interface _shoal_api_Privileges_CredentialSpec {
  'config'?: (string);
  'file'?: (string);
  'registry'?: (string);
}

export interface _shoal_api_Privileges_CredentialSpec__Output {
  'config': (string);
  'file': (string);
  'registry': (string);
}

export interface _shoal_api_Privileges_SELinuxContext {
  'disable'?: (boolean);
  'user'?: (string);
  'role'?: (string);
  'type'?: (string);
  'level'?: (string);
}

export interface _shoal_api_Privileges_SELinuxContext__Output {
  'disable': (boolean);
  'user': (string);
  'role': (string);
  'type': (string);
  'level': (string);
}

export interface _shoal_api_Privileges_Seccomp {
  'mode'?: (string);
  'profile'?: (Buffer | Uint8Array | string);
}

export interface _shoal_api_Privileges_Seccomp__Output {
  'mode': (string);
  'profile': (Buffer);
}

export interface Privileges {
  'credentialSpec'?: (_shoal_api_Privileges_CredentialSpec | null);
  'seLinuxContext'?: (_shoal_api_Privileges_SELinuxContext | null);
  'seccomp'?: (_shoal_api_Privileges_Seccomp | null);
  'appArmor'?: (_shoal_api_Privileges_AppArmor | null);
  'noNewPrivileges'?: (boolean);
  '_noNewPrivileges'?: "noNewPrivileges";
}

export interface Privileges__Output {
  'credentialSpec': (_shoal_api_Privileges_CredentialSpec__Output | null);
  'seLinuxContext': (_shoal_api_Privileges_SELinuxContext__Output | null);
  'seccomp': (_shoal_api_Privileges_Seccomp__Output | null);
  'appArmor': (_shoal_api_Privileges_AppArmor__Output | null);
  'noNewPrivileges'?: (boolean);
  '_noNewPrivileges'?: "noNewPrivileges";
}
