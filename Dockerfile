# syntax=docker/dockerfile:1
# The agreements worker. Debian slim, not Alpine: the Temporal SDK's native core has no musl build.
#
#   docker build -t agreements-worker:0.1.0 .
#   docker run --rm -e TEMPORAL_ADDRESS=temporal.example:7233 agreements-worker:0.1.0
#
# No transpiler at run time: Node 24 runs the TypeScript sources itself (type stripping), and the workflow code is
# bundled here, at build time, so that a worker serves at once when it starts (src/worker/workflow-bundle.ts).
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Toolchain for better-sqlite3 when no prebuilt binary matches; node's own headers instead of a download.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
# The certificate of completion uses two weights of the Chinese font package (src/certificate/font.ts): the other
# three (some 25 MB) stay out of the image.
RUN node src/worker/build-bundle.ts \
 && npm prune --omit=dev --no-audit --no-fund \
 && find node_modules/@embedpdf/fonts-sc/fonts -name '*.otf' \
      ! -name NotoSansHans-Regular.otf ! -name NotoSansHans-Bold.otf -delete \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    AGREEMENTS_HOME=/home/node/.agreements
WORKDIR /app
# Production dependencies only (native modules built above for this platform); the sources stay root-owned and
# read-only for the `node` user that runs them.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY examples ./examples
RUN mkdir -p "${AGREEMENTS_HOME}" && chown node:node "${AGREEMENTS_HOME}"
USER node
# node runs directly (not under npm, which would not forward signals), so SIGTERM from `docker stop` reaches the
# worker, which stops polling, finishes its in-flight tasks and exits. Compose adds an init process (`init: true`).
STOPSIGNAL SIGTERM
CMD ["node", "src/worker/main.ts"]
