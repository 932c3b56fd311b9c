{{/* Names are truncated to 63 characters: the DNS-1123 label limit of Service names. */}}
{{- define "kaito-dashboard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kaito-dashboard.fullname" -}}
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

{{- define "kaito-dashboard.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kaito-dashboard.labels" -}}
helm.sh/chart: {{ include "kaito-dashboard.chart" . }}
{{ include "kaito-dashboard.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "kaito-dashboard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kaito-dashboard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Per-component names; the worker's (kaito-dashboard.worker.*) are shared with worker-rbac.yaml. */}}
{{- define "kaito-dashboard.web.fullname" -}}
{{- printf "%s-web" (include "kaito-dashboard.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kaito-dashboard.worker.fullname" -}}
{{- printf "%s-worker" (include "kaito-dashboard.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kaito-dashboard.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "kaito-dashboard.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kaito-dashboard.web.serviceAccountName" -}}
{{- if .Values.web.serviceAccount.create }}
{{- default (include "kaito-dashboard.web.fullname" .) .Values.web.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.web.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kaito-dashboard.worker.serviceAccountName" -}}
{{- include "kaito-dashboard.worker.fullname" . }}
{{- end }}

{{- define "kaito-dashboard.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}
{{- end }}

{{- define "kaito-dashboard.authSecretName" -}}
{{- default (printf "%s-auth" (include "kaito-dashboard.fullname" .)) .Values.auth.existingSecret }}
{{- end }}

{{- define "kaito-dashboard.databaseSecretName" -}}
{{- default (printf "%s-database" (include "kaito-dashboard.fullname" .)) .Values.database.external.existingSecret }}
{{- end }}

{{- define "kaito-dashboard.postgresql.secretName" -}}
{{- default (include "kaito-dashboard.postgresql.fullname" .) .Values.postgresql.auth.existingSecret }}
{{- end }}

{{- define "kaito-dashboard.registrySecretName" -}}
{{- default (printf "%s-registry" (include "kaito-dashboard.fullname" .)) .Values.adapters.registry.existingSecret }}
{{- end }}

{{- define "kaito-dashboard.hasRegistryCredentials" -}}
{{- if or .Values.adapters.registry.existingSecret .Values.adapters.registry.username }}true{{ end }}
{{- end }}

{{/*
A value that must survive upgrades: the given one, else the one already stored in the Secret
(lookup; empty under `helm template`), else a fresh random string.
*/}}
{{- define "kaito-dashboard.persistentSecretValue" -}}
{{- $given := index . 0 }}
{{- $ctx := index . 1 }}
{{- $secretName := index . 2 }}
{{- $key := index . 3 }}
{{- $length := index . 4 }}
{{- if $given }}
{{- $given }}
{{- else }}
{{- $existing := lookup "v1" "Secret" $ctx.Release.Namespace $secretName }}
{{- if and $existing (hasKey $existing.data $key) }}
{{- index $existing.data $key | b64dec }}
{{- else }}
{{- randAlphaNum $length }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Whether the application connects with its own database role, which may only INSERT and SELECT
on the audit trail, while migrations run as the owner in an init container (docs/install.md,
"Database roles"): always with the bundled PostgreSQL, and with an external one given an owner URL.
*/}}
{{- define "kaito-dashboard.separateDbRoles" -}}
{{- if or .Values.postgresql.enabled .Values.database.external.migrationUrl .Values.database.external.existingSecretMigrationKey }}true{{ end }}
{{- end }}

{{/* The bundled PostgreSQL's application role: the owner's name with "_app". */}}
{{- define "kaito-dashboard.postgresql.appUser" -}}
{{- printf "%s_app" .Values.postgresql.auth.username }}
{{- end }}

{{/* The owner's URL, only for the migrate init container. */}}
{{- define "kaito-dashboard.migrationEnv" -}}
{{- if .Values.postgresql.enabled }}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "kaito-dashboard.postgresql.secretName" . }}
      key: POSTGRES_PASSWORD
- name: DATABASE_MIGRATION_URL
  value: {{ printf "postgresql://%s:$(POSTGRES_PASSWORD)@%s:5432/%s" .Values.postgresql.auth.username (include "kaito-dashboard.postgresql.fullname" .) .Values.postgresql.auth.database | quote }}
{{- else }}
- name: DATABASE_MIGRATION_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "kaito-dashboard.databaseSecretName" . }}
      key: {{ if .Values.database.external.existingSecret }}{{ .Values.database.external.existingSecretMigrationKey }}{{ else }}DATABASE_MIGRATION_URL{{ end }}
{{- end }}
{{- end }}

{{/* Runs the migrations as the owner role, then exits; the long-running containers never see that password. */}}
{{- define "kaito-dashboard.migrateInitContainer" -}}
{{- if and (include "kaito-dashboard.separateDbRoles" .) .Values.database.migrateOnStart }}
initContainers:
  - name: migrate
    image: {{ include "kaito-dashboard.image" . }}
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    args: ["web-server.mjs", "--migrate-only"]
    env:
      {{- include "kaito-dashboard.commonEnv" . | nindent 6 }}
      {{- include "kaito-dashboard.migrationEnv" . | trim | nindent 6 }}
    resources:
      requests: { cpu: 50m, memory: 128Mi }
      limits: { memory: 512Mi }
    securityContext:
      {{- toYaml .Values.securityContext | nindent 6 }}
    volumeMounts:
      - { name: tmp, mountPath: /tmp }
{{- end }}
{{- end }}

{{/* Environment shared by the web and the worker: database, cluster behaviour, catalog. */}}
{{- define "kaito-dashboard.commonEnv" -}}
- name: NODE_ENV
  value: production
{{- if .Values.postgresql.enabled }}
# The password stays in its own Secret; Kubernetes expands $(POSTGRES_APP_PASSWORD) into the URL.
# This is the application's role, not the owner's: it cannot erase the audit trail.
- name: POSTGRES_APP_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "kaito-dashboard.postgresql.secretName" . }}
      key: POSTGRES_APP_PASSWORD
- name: DATABASE_URL
  value: {{ printf "postgresql://%s:$(POSTGRES_APP_PASSWORD)@%s:5432/%s" (include "kaito-dashboard.postgresql.appUser" .) (include "kaito-dashboard.postgresql.fullname" .) .Values.postgresql.auth.database | quote }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "kaito-dashboard.databaseSecretName" . }}
      key: {{ if .Values.database.external.existingSecret }}{{ .Values.database.external.existingSecretKey }}{{ else }}DATABASE_URL{{ end }}
{{- end }}
- name: DB_POOL_SIZE
  value: {{ .Values.database.poolSize | quote }}
# With separate roles the migrate init container has migrated already, as the owner.
- name: DB_MIGRATE_ON_START
  value: {{ if include "kaito-dashboard.separateDbRoles" . }}"false"{{ else }}{{ .Values.database.migrateOnStart | quote }}{{ end }}
- name: NODE_PROVISIONER_MODE
  value: {{ .Values.nodeProvisioner.mode | quote }}
# The worker reconciles or observes; the web's status bar says which, and why it refuses.
- name: CONTROLLER_MODE
  value: {{ .Values.controller.mode | quote }}
{{- with .Values.gpuPrices }}
- name: GPU_PRICES_JSON
  value: {{ toJson . | quote }}
{{- end }}
- name: ADAPTER_REGISTRY_URL
  value: {{ .Values.adapters.registry.url | quote }}
- name: ADAPTER_REGISTRY_REPOSITORY_PREFIX
  value: {{ .Values.adapters.registry.repositoryPrefix | quote }}
{{- with .Values.adapters.registry.pullHost }}
- name: ADAPTER_REGISTRY_PULL_HOST
  value: {{ . | quote }}
{{- end }}
{{- with .Values.adapters.registry.pullSecret }}
- name: ADAPTER_REGISTRY_PULL_SECRET
  value: {{ . | quote }}
{{- end }}
{{- if include "kaito-dashboard.hasRegistryCredentials" . }}
- name: ADAPTER_REGISTRY_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ include "kaito-dashboard.registrySecretName" . }}
      key: ADAPTER_REGISTRY_USERNAME
- name: ADAPTER_REGISTRY_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "kaito-dashboard.registrySecretName" . }}
      key: ADAPTER_REGISTRY_PASSWORD
{{- end }}
{{- end }}

{{/* Refuses combinations that would start but not work. */}}
{{- define "kaito-dashboard.validate" -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.database.external.url) (not .Values.database.external.existingSecret) }}
{{- fail "A database is required: set postgresql.enabled=true, database.external.url or database.external.existingSecret (the embedded PGlite database cannot be shared by several pods)" }}
{{- end }}
{{- if and (eq .Values.controller.mode "reconcile") (not .Values.worker.leaderElection.enabled) (gt (int .Values.worker.replicas) 1) }}
{{- fail "worker.replicas > 1 needs worker.leaderElection.enabled=true: two workers without a Lease would reconcile the same Workspaces" }}
{{- end }}
{{- if and (eq .Values.inference.endpointMode "static") (not .Values.inference.staticUrlTemplate) }}
{{- fail "inference.staticUrlTemplate is required when inference.endpointMode=static" }}
{{- end }}
{{- if and .Values.auth.oidc.enabled (not .Values.auth.existingSecret) (or (not .Values.auth.oidc.issuer) (not .Values.auth.oidc.clientId) (not .Values.auth.oidc.clientSecret)) }}
{{- fail "auth.oidc.issuer, auth.oidc.clientId and auth.oidc.clientSecret are required when auth.oidc.enabled=true" }}
{{- end }}
{{- if and .Values.auth.oidc.enabled .Values.auth.existingSecret (or (not .Values.auth.oidc.issuer) (not .Values.auth.oidc.clientId)) }}
{{- fail "auth.oidc.issuer and auth.oidc.clientId are required when auth.oidc.enabled=true (the client secret comes from auth.existingSecret)" }}
{{- end }}
{{- end }}

{{/*
Whether this release owns a cluster-scoped RBAC object of a fixed name ("true" or ""): it does
when the object does not exist yet or Helm made it for this release. Another release of the
chart in the same cluster, or an administrator who created the object by hand, keeps it; this
release then relies on theirs. `helm template` cannot look objects up, so it always renders them.
Argument: (dict "kind" "ClusterRole" "name" "…" "release" .Release.Name)
*/}}
{{- define "kaito-dashboard.ownsClusterRbac" -}}
{{- $existing := lookup "rbac.authorization.k8s.io/v1" .kind "" .name -}}
{{- if or (not $existing) (eq (dig "metadata" "annotations" "meta.helm.sh/release-name" "" $existing) .release) -}}
true
{{- end -}}
{{- end }}
