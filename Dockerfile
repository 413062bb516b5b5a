# One image for every way the backend runs in a container:
#   - no FUNCTION: the gateway (embedded default: every function in one process, or, with
#     FUNCTION_URL_TEMPLATE / FUNCTION_URL_<NAME>, a gateway forwarding to function URLs);
#   - FUNCTION=<name> (a name from functions/routes.ts, e.g. product/on-payment-completed, or its
#     service name, product-on-payment-completed): that one function alone, as a Knative Service
#     runs it;
#   - `node dist/migrate.mjs`: the database migrations, then exit (the Kubernetes Job of
#     knative/overlays/prod; functions there start with MIGRATE=false).
# The TypeScript is bundled at build time (`npm run build`, scripts/build.ts): a bundle per
# function holding only that function's code, the gateway's, and dist/main.mjs, which picks one.
# The image runs them with node over the production dependencies; no TypeScript tooling.
#
# npm ci takes the registry settings of the machine that builds, when passed as build secrets
# (BuildKit; they stay out of every layer): `npmrc`, an .npmrc (registry, auth), and `npm_ca`,
# certificates to trust besides Node's own (a proxy's CA). Without them, npm's defaults:
#   docker build --secret id=npmrc,src=$HOME/.npmrc --secret id=npm_ca,src=<ca.pem> .
# scripts/container/image.sh passes the ones this machine's npm uses.

ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: every dependency, then the bundles in dist/ -------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: esbuild's install script only double-checks its platform binary, which comes
# as an optional dependency; the others (buf, protobufjs) are not needed to bundle, nor is the
# `node` dev dependency's (it fetches the Node that npm scripts run on outside the image; without
# it, npm run finds the image's own node).
RUN --mount=type=secret,id=npmrc --mount=type=secret,id=npm_ca \
    if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    NPM_CONFIG_USERCONFIG=/run/secrets/npmrc npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY gen ./gen
COPY platform ./platform
COPY functions ./functions
COPY gateway ./gateway
COPY scripts/build.ts ./scripts/build.ts
COPY scripts/build ./scripts/build
RUN npm run build

# --- production dependencies only -----------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional as well: the only optional packages left are pg-cloudflare (used by pg on
# Cloudflare Workers only) and typescript, an optional peer of valibot that npm would otherwise
# install. Revisit if a runtime dependency ever needs an optional (e.g. native) package.
RUN --mount=type=secret,id=npmrc --mount=type=secret,id=npm_ca \
    if [ -f /run/secrets/npm_ca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npm_ca; fi; \
    NPM_CONFIG_USERCONFIG=/run/secrets/npmrc npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# --- runtime --------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
# NODE_OPTIONS: no --enable-source-maps. With it, node reads and parses every module's source map
# as the module loads and keeps them, which costs every function start time and idle memory
# (measured in bench/optimizations.md, #27). Stack traces name the bundle's functions
# as written (identifiers are not minified); for TypeScript positions, start a process with
# NODE_OPTIONS=--enable-source-maps (the maps are in dist/ beside each bundle).
# NODE_COMPILE_CACHE: node's module compile cache, filled below, so a cold start takes each
# module's compiled code from it instead of compiling the bundle again.
ENV NODE_ENV=production \
    NODE_OPTIONS= \
    NODE_COMPILE_CACHE=/app/.compile-cache \
    HOST=0.0.0.0 \
    PORT=8080
COPY --from=deps /app/node_modules ./node_modules
# The bundles need nothing else from the sources: the SQL migrations and the storefront's files
# are embedded.
COPY --from=build /app/dist ./dist
# Code stays root-owned (read-only to the app). PGlite writes its data folder: /app/.data is
# the default (.data/pglite for the gateway, .data/fn/<name> for one function) and /data is
# where compose mounts a volume; a new named volume copies this folder's owner.
RUN mkdir -p /app/.data /data /app/.compile-cache && chown node:node /app/.data /data /app/.compile-cache
USER node
# Fills the compile cache with every bundle and chunk of dist/, compiling without running any
# (scripts/build/warm-compile-cache.ts). As user node (uid 1000, the runAsUser of the Knative
# manifests): the cache keeps a folder per node version and user, and its files are the user's.
# At run time node reads it and adds what it compiles anew (modules from node_modules); on a
# read-only root filesystem it only reads. Another user, or another node, misses it and compiles
# as without a cache.
RUN node dist/warm-compile-cache.mjs
EXPOSE 8080
# node is PID 1 and gets SIGTERM itself; the app shuts down cleanly on it (platform/shutdown.ts).
# As PID 1 no signal has a default action: before the app handles SIGTERM (while it starts),
# dist/main.mjs and dist/migrate.mjs exit on it at once (platform/pid1-signals.ts), else a stop
# would wait for the grace period's SIGKILL.
CMD ["node", "dist/main.mjs"]
