{{/*
Expand the name of the chart.
*/}}
{{- define "portcullis.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Create a default fully qualified app name.
*/}}
{{- define "portcullis.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/*
Common labels
*/}}
{{- define "portcullis.labels" -}}
helm.sh/chart: {{ include "portcullis.chart" . }}
{{ include "portcullis.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Selector labels
*/}}
{{- define "portcullis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portcullis.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Chart label
*/}}
{{- define "portcullis.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
ServiceAccount name
*/}}
{{- define "portcullis.serviceAccountName" -}}
{{- printf "%s-sa" (include "portcullis.fullname" .) }}
{{- end }}

{{/*
Image reference: repository:tag, repository@sha256:... for a digest, the chart's appVersion without a tag.
*/}}
{{- define "portcullis.image" -}}
{{- $tag := default .Chart.AppVersion (toString .Values.image.tag) }}
{{- if hasPrefix "sha256:" $tag }}
{{- printf "%s@%s" .Values.image.repository $tag }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{/*
Where the ConfigMap (config.yaml, jwks.json) is mounted; the image's entrypoint reads config.yaml there.
*/}}
{{- define "portcullis.configDir" -}}
/etc/portcullis
{{- end }}

{{/*
jwtAuth of the gateway's routes: issuer, audience, the mounted JWKS, and the dpop settings of the values.
*/}}
{{- define "portcullis.jwtAuth" -}}
jwtAuth:
  mode: strict
  issuer: {{ .Values.gateway.issuer | quote }}
  audiences:
    - {{ .Values.gateway.audience | quote }}
  jwks:
    file: {{ include "portcullis.configDir" . }}/jwks.json
  dpop:
    enforceHtuHtm: {{ .Values.gateway.dpop.enforceHtuHtm }}
    maxTokenAgeSeconds: {{ .Values.gateway.dpop.maxTokenAgeSeconds }}
{{- end }}
