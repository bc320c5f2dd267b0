/** `service inspect --pretty`: docker's template over a view of the service. */
import { parseTemplate } from '../format/template.ts';
import { goDurationString } from '../format/time.ts';
import { bytesSize } from '../format/units.ts';
import type { Service, UpdateConfig } from '../types.ts';

const PRETTY_SERVICE = parseTemplate(`
ID:		{{.ID}}
Name:		{{.Name}}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Service Mode:
{{- if .IsModeGlobal }}	Global
{{- else if .IsModeReplicated }}	Replicated
{{- if .ModeReplicatedReplicas }}
 Replicas:	{{ .ModeReplicatedReplicas }}
{{- end }}{{ end }}
{{- if .HasUpdateStatus }}
UpdateStatus:
 State:		{{ .UpdateStatusState }}
 Message:	{{ .UpdateStatusMessage }}
{{- end }}
Placement:
{{- if .TaskPlacementConstraints }}
 Constraints:	{{ .TaskPlacementConstraints }}
{{- end }}
{{- if .TaskPlacementPreferences }}
 Preferences:   {{ .TaskPlacementPreferences }}
{{- end }}
{{- if .MaxReplicas }}
 Max Replicas Per Node:   {{ .MaxReplicas }}
{{- end }}
{{- if .Update }}
UpdateConfig:
 Parallelism:	{{ .Update.Parallelism }}
{{- if .Update.Delay }}
 Delay:		{{ .Update.Delay }}
{{- end }}
 On failure:	{{ .Update.FailureAction }}
{{- if .Update.Monitor }}
 Monitoring Period: {{ .Update.Monitor }}
{{- end }}
 Max failure ratio: {{ .Update.MaxFailureRatio }}
 Update order:      {{ .Update.Order }}
{{- end }}
{{- if .Rollback }}
RollbackConfig:
 Parallelism:	{{ .Rollback.Parallelism }}
{{- if .Rollback.Delay }}
 Delay:		{{ .Rollback.Delay }}
{{- end }}
 On failure:	{{ .Rollback.FailureAction }}
{{- if .Rollback.Monitor }}
 Monitoring Period: {{ .Rollback.Monitor }}
{{- end }}
 Max failure ratio: {{ .Rollback.MaxFailureRatio }}
 Rollback order:    {{ .Rollback.Order }}
{{- end }}
ContainerSpec:
 Image:		{{ .ContainerImage }}
{{- if .ContainerArgs }}
 Args:		{{ range $arg := .ContainerArgs }}{{ $arg }} {{ end }}
{{- end -}}
{{- if .ContainerEnv }}
 Env:		{{ range $env := .ContainerEnv }}{{ $env }} {{ end }}
{{- end -}}
{{- if .ContainerWorkDir }}
 Dir:		{{ .ContainerWorkDir }}
{{- end -}}
{{- if .HasContainerInit }}
 Init:		{{ .ContainerInit }}
{{- end -}}
{{- if .ContainerUser }}
 User: {{ .ContainerUser }}
{{- end }}
{{- if .ContainerMounts }}
Mounts:
{{- end }}
{{- range $mount := .ContainerMounts }}
 Target:	{{ $mount.Target }}
  Source:	{{ $mount.Source }}
  ReadOnly:	{{ $mount.ReadOnly }}
  Type:		{{ $mount.Type }}
{{- end -}}
{{- if .Configs}}
Configs:
{{- range $config := .Configs }}
 Target:	{{$config.File.Name}}
  Source:	{{$config.ConfigName}}
{{- end }}{{ end }}
{{- if .Secrets }}
Secrets:
{{- range $secret := .Secrets }}
 Target:	{{$secret.File.Name}}
  Source:	{{$secret.SecretName}}
{{- end }}{{ end }}
{{- if .HasResources }}
Resources:
{{- if .HasReservations }}
 Reservations:
{{- if .ReservationCPU }}
  CPU:		{{ .ReservationCPU }}
{{- end }}
{{- if .ReservationMemory }}
  Memory:	{{ .ReservationMemory }}
{{- end }}{{ end }}
{{- if .HasLimits }}
 Limits:
{{- if .LimitCPU }}
  CPU:		{{ .LimitCPU }}
{{- end }}
{{- if .LimitMemory }}
  Memory:	{{ .LimitMemory }}
{{- end }}{{ end }}{{ end }}
{{- if .Networks }}
Networks:
{{- range $network := .Networks }} {{ $network }}{{ end }} {{ end }}
Endpoint Mode:	{{ .EndpointMode }}
{{- if .Ports }}
Ports:
{{- range $port := .Ports }}
 PublishedPort = {{ $port.PublishedPort }}
  Protocol = {{ $port.Protocol }}
  TargetPort = {{ $port.TargetPort }}
  PublishMode = {{ $port.PublishMode }}
{{- end }} {{ end -}}
{{- if .Healthcheck }}
 Healthcheck:
  Interval = {{ .Healthcheck.Interval }}
  Retries = {{ .Healthcheck.Retries }}
  StartPeriod =	{{ .Healthcheck.StartPeriod }}
  Timeout =	{{ .Healthcheck.Timeout }}
  {{- if .Healthcheck.Test }}
  Tests:
	{{- range $test := .Healthcheck.Test }}
	 Test = {{ $test }}
  {{- end }} {{ end -}}
{{- end }}
`);

function updateView(u: UpdateConfig | undefined): Record<string, unknown> | undefined {
  if (!u) return undefined;
  return {
    Parallelism: u.Parallelism ?? 0,
    Delay: u.Delay ? goDurationString(u.Delay) : '',
    FailureAction: u.FailureAction ?? '',
    Monitor: u.Monitor ? goDurationString(u.Monitor) : '',
    MaxFailureRatio: u.MaxFailureRatio ?? 0,
    Order: u.Order ?? '',
  };
}

/** Renders one service as docker's `inspect --pretty` does (the caller adds the trailing newline). */
export function prettyService(s: Service): string {
  const spec = s.Spec;
  const tt = spec.TaskTemplate ?? {};
  const cs = tt.ContainerSpec ?? {};
  const res = tt.Resources;
  const hc = cs.Healthcheck as Record<string, number | string[] | undefined> | undefined;
  const dur = (v: unknown) => goDurationString(typeof v === 'number' ? v : 0);
  return PRETTY_SERVICE.execute({
    ID: s.ID,
    Name: spec.Name ?? '',
    Labels: spec.Labels ?? {},
    IsModeGlobal: Boolean(spec.Mode?.Global),
    IsModeReplicated: Boolean(spec.Mode?.Replicated),
    ModeReplicatedReplicas: spec.Mode?.Replicated?.Replicas ?? 0,
    HasUpdateStatus: Boolean(s.UpdateStatus?.State),
    UpdateStatusState: s.UpdateStatus?.State ?? '',
    UpdateStatusMessage: s.UpdateStatus?.Message ?? '',
    TaskPlacementConstraints: tt.Placement?.Constraints?.length
      ? `[${tt.Placement.Constraints.join(' ')}]`
      : '',
    TaskPlacementPreferences: (tt.Placement?.Preferences ?? [])
      .map((p) => `spread=${p.Spread.SpreadDescriptor}`)
      .join(', '),
    MaxReplicas: tt.Placement?.MaxReplicas ?? 0,
    Update: updateView(spec.UpdateConfig),
    Rollback: updateView(spec.RollbackConfig),
    ContainerImage: cs.Image ?? '',
    ContainerArgs: cs.Args ?? [],
    ContainerEnv: cs.Env ?? [],
    ContainerWorkDir: cs.Dir ?? '',
    HasContainerInit: cs.Init !== undefined,
    ContainerInit: cs.Init ?? false,
    ContainerUser: cs.User ?? '',
    ContainerMounts: cs.Mounts ?? [],
    Configs: cs.Configs ?? [],
    Secrets: cs.Secrets ?? [],
    HasResources: res !== undefined,
    HasReservations: Boolean(res?.Reservations?.NanoCPUs || res?.Reservations?.MemoryBytes),
    ReservationCPU: res?.Reservations?.NanoCPUs ? res.Reservations.NanoCPUs / 1e9 : 0,
    ReservationMemory: res?.Reservations?.MemoryBytes ? bytesSize(res.Reservations.MemoryBytes) : '',
    HasLimits: Boolean(res?.Limits?.NanoCPUs || res?.Limits?.MemoryBytes),
    LimitCPU: res?.Limits?.NanoCPUs ? res.Limits.NanoCPUs / 1e9 : 0,
    LimitMemory: res?.Limits?.MemoryBytes ? bytesSize(res.Limits.MemoryBytes) : '',
    Networks: (tt.Networks ?? []).map((n) => n.Target),
    EndpointMode: spec.EndpointSpec?.Mode ?? '',
    Ports: spec.EndpointSpec?.Ports ?? [],
    Healthcheck: hc
      ? {
          Interval: dur(hc.Interval),
          Retries: hc.Retries ?? 0,
          StartPeriod: dur(hc.StartPeriod),
          Timeout: dur(hc.Timeout),
          Test: hc.Test ?? [],
        }
      : undefined,
  });
}
