{{/* Chart name, truncated to the 63 characters a Kubernetes name allows. */}}
{{- define "shrinkwatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name every resource starts with. */}}
{{- define "shrinkwatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Standard labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/). */}}
{{- define "shrinkwatch.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "shrinkwatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: shrinkwatch
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels a selector matches on; a component label is added per workload. */}}
{{- define "shrinkwatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "shrinkwatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The image, with the chart's appVersion when no tag is set. */}}
{{- define "shrinkwatch.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The JobManager's Service name: the RPC address TaskManagers and the Flink config use. */}}
{{- define "shrinkwatch.jobmanager" -}}
{{ include "shrinkwatch.fullname" . }}-jobmanager
{{- end }}

{{/* The claim holding models, the archive and (by default) checkpoints. */}}
{{- define "shrinkwatch.claim" -}}
{{ .Values.storage.existingClaim | default (printf "%s-data" (include "shrinkwatch.fullname" .)) }}
{{- end }}

{{/* Volumes every Flink and re-mining pod mounts. */}}
{{- define "shrinkwatch.volumes" -}}
- name: flink-config
  configMap:
    name: {{ include "shrinkwatch.fullname" . }}-flink-config
- name: data
{{- if .Values.storage.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "shrinkwatch.claim" . }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}

{{/* The JDBC password from an existing Secret, when one is named. */}}
{{- define "shrinkwatch.jdbcEnv" -}}
{{- if .Values.jdbc.passwordSecret.name }}
- name: SHRINKWATCH_JDBC_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.jdbc.passwordSecret.name }}
      key: {{ .Values.jdbc.passwordSecret.key }}
{{- end }}
{{- end }}

{{/* ServiceAccount of the Flink pods. */}}
{{- define "shrinkwatch.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- .Values.serviceAccount.name | default (include "shrinkwatch.fullname" .) }}
{{- else }}
{{- .Values.serviceAccount.name | default "default" }}
{{- end }}
{{- end }}

{{/* Prometheus scrape annotations of the Flink pods. */}}
{{- define "shrinkwatch.scrapeAnnotations" -}}
{{- if .Values.metrics.scrapeAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .Values.metrics.port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end }}
