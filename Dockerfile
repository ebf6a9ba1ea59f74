# syntax=docker/dockerfile:1
# One image per app, built alone:
#   docker build --build-arg APP=web-bff -t storefront/web-bff:0.1.0 .
# APP is one of web-bff, mobile-bff, catalog-api, basket-api, ordering-api, identity-api (the storefront
# SPA, apps/web-spa, is static files for a CDN or any static server, not an image of this file).
# The image holds only that app's bundle and the production dependencies; it runs as uid 1000 (not
# root) and writes nothing, so it runs with a read-only root filesystem.
ARG NODE_IMAGE=node:20-bookworm-slim

# Production dependencies only, without lifecycle scripts (none is needed at run time).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# This app's bundle: dist/apps/${APP}/main.js.
FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json ./
COPY scripts/apps.js scripts/build-all.js ./scripts/
COPY libs ./libs
COPY apps ./apps
RUN node -e "const a = require('./scripts/apps').find((x) => x.name === process.argv[1]); \
      if (!a || a.kind === 'spa') { console.error('build with --build-arg APP=<a BFF or sample service>'); process.exit(1); }" "${APP}" \
 && node scripts/build-all.js "${APP}"

FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production \
    APP=${APP}
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist/apps/${APP} ./dist/apps/${APP}
COPY scripts/apps.js scripts/healthcheck.js ./scripts/
# Numeric, so Kubernetes' runAsNonRoot can verify it (the `node` user of the base image).
USER 1000:1000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 CMD ["node", "scripts/healthcheck.js"]
# exec: node is PID 1 and gets SIGTERM itself (graceful drain, SHUTDOWN_DELAY_MS).
CMD ["/bin/sh", "-c", "exec node dist/apps/${APP}/main.js"]
