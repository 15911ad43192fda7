# syntax=docker/dockerfile:1
# Multi-stage: build with dev dependencies, ship only the self-contained Nitro output and the
# SQL migrations (applied on start), running as a non-root user.

FROM node:24-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc* ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# --ignore-scripts above skips postinstall: apply patches/ (fixes in dependencies) here.
RUN npx patch-package --error-on-fail --error-on-warn && npx nuxt prepare && npx nuxt build

FROM node:24-bookworm-slim AS runtime
# GLIBC_TUNABLES: malloc hands blocks of 128 KB and more back to the system when they are freed
# (glibc's default threshold, kept from growing): ~20-35 MB less RSS (docs/deployment.md). npm start
# sets the same.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072
WORKDIR /app
COPY --from=build --chown=node:node /src/.output ./.output
COPY --from=build --chown=node:node /src/drizzle ./drizzle
# package.json only for its version (the system page, backup manifests).
COPY --from=build --chown=node:node /src/package.json ./package.json
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Operator commands in the image: docker compose exec app node .output/server/cli/backup.mjs
# (also restore.mjs <file> [--force], migrate.mjs, audit-verify.mjs).
# The same command tests/e2e/docker-command.test.ts runs against the built output.
CMD ["node", "--max-semi-space-size=16", "--liftoff-only", "--expose-gc", ".output/server/index.mjs"]
