{{/* Names. Resource names must fit DNS labels (63 characters). */}}
{{- define "sluice.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sluice.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The operator's Deployment, ServiceAccount, RBAC and metrics Service. */}}
{{- define "sluice.operator.name" -}}{{ include "sluice.fullname" . }}-operator{{- end -}}
{{/* The runtime StatefulSet and its headless Service (the operator's --runtime-service). */}}
{{- define "sluice.runtime.name" -}}{{ include "sluice.fullname" . }}-runtime{{- end -}}
{{/* The ClusterIP Service clients reach the AWS API through. */}}
{{- define "sluice.endpoint.name" -}}{{ include "sluice.fullname" . }}{{- end -}}
{{- define "sluice.endpoint.url" -}}http://{{ include "sluice.endpoint.name" . }}.{{ .Release.Namespace }}.svc:4566{{- end -}}

{{/* Whether each runtime pod advertises its own DNS name (runtime.advertise). */}}
{{- define "sluice.runtime.perPod" -}}
{{- if or (eq .Values.runtime.advertise "pod") (and (eq .Values.runtime.advertise "auto") (gt (int .Values.runtime.replicas) 1)) -}}true{{- end -}}
{{- end -}}

{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "sluice.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sluice
{{- end -}}

{{/* Selector labels of one component: (dict "ctx" $ "component" "runtime"). */}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sluice.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "sluice.image" -}}
{{ .image.repository }}:{{ .image.tag | default .ctx.Chart.AppVersion }}
{{- end -}}

{{/* A component's securityContext: the top-level one with the component's overrides merged over it. */}}
{{- define "sluice.securityContext" -}}
{{- toYaml (mergeOverwrite (deepCopy .ctx.Values.securityContext) (.component.securityContext | default dict)) -}}
{{- end -}}
{{- define "sluice.podSecurityContext" -}}
{{- toYaml (mergeOverwrite (deepCopy .ctx.Values.podSecurityContext) (.component.podSecurityContext | default dict)) -}}
{{- end -}}

{{/* Scheduling and pull secrets, shared by both pod templates. */}}
{{- define "sluice.podScheduling" -}}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
