# syntax=docker/dockerfile:1.7
# kaito-dashboard: one image, two processes.
#   web:    docker run … kaito-dashboard web-server.mjs   (default; port 3000)
#   worker: docker run … kaito-dashboard worker.mjs       (metrics/health on 9464)
# The Helm chart sets the argument per Deployment.

ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
ENV NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# npm's postinstall generates the Prisma client, so its inputs come along with the manifests.
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY dev/db/generate-client.ts ./dev/db/
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx tsx dev/package/build-package.ts --out /out/app --dist-dir .next

FROM ${NODE_IMAGE} AS runtime
# MALLOC_ARENA_MAX: glibc otherwise gives each thread that allocates its own arena of up to
# 64 MB, kept after use; the chart sets 1, a 32 KiB malloc mmap threshold and a 1 MiB V8 young
# generation for the web container (docs/adapters.md, "Memory of the web process"), and the
# same mmap threshold and a 4 MiB young generation for the worker (docs/benchmarks.md).
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    MALLOC_ARENA_MAX=2 \
    PORT=3000 \
    HOST=0.0.0.0
# busybox-static: its static /bin/busybox is the shell layer of every published adapter image,
# which the puller init container runs to copy /data (ADAPTER_BUSYBOX_PATH points elsewhere).
RUN apt-get update \
 && apt-get install -y --no-install-recommends busybox-static \
 && rm -rf /var/lib/apt/lists/*
# A fixed numeric user so that Kubernetes' runAsNonRoot can verify it without a passwd lookup.
RUN groupadd --system --gid 10001 kaito \
 && useradd --system --uid 10001 --gid kaito --home-dir /app --shell /usr/sbin/nologin kaito
WORKDIR /app
COPY --from=build --chown=root:root /out/app ./
# The only writable paths at run time (emptyDir volumes in the chart): Next's cache and uploads.
RUN mkdir -p .next/cache /var/lib/kaito-dashboard/uploads \
 && chown kaito:kaito .next/cache /var/lib/kaito-dashboard/uploads
USER 10001:10001
EXPOSE 3000 9464
ENTRYPOINT ["node"]
CMD ["web-server.mjs"]
