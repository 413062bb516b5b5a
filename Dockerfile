# One image for every way the backend runs in a container:
#   - no FUNCTION: the gateway (embedded default: every function in one process, or, with
#     FUNCTION_URL_TEMPLATE / FUNCTION_URL_<NAME>, a gateway forwarding to function URLs);
#   - FUNCTION=<name> (a name from functions/routes.ts, e.g. product/on-payment-completed):
#     that one function alone, as a Knative Service runs it.
# The TypeScript sources run through tsx (a runtime dependency), so there is no build step.

ARG NODE_IMAGE=node:20-bookworm-slim

# --- production dependencies only -----------------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the only install script among runtime dependencies is esbuild's (under tsx),
# which only double-checks its platform binary; that binary comes as an optional dependency.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# --- runtime --------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY gen ./gen
COPY platform ./platform
COPY functions ./functions
COPY gateway ./gateway
# Sources stay root-owned (read-only to the app). PGlite writes its data folder: /app/.data is
# the default (.data/pglite for the gateway, .data/fn/<name> for one function) and /data is
# where compose mounts a volume; a new named volume copies this folder's owner.
RUN mkdir -p /app/.data /data && chown node:node /app/.data /data
USER node
EXPOSE 8080
# exec: tsx replaces the shell and forwards SIGTERM to the app, which shuts down cleanly.
# The function name is also passed as argv[2], which serve-one.ts reads before FUNCTION.
CMD ["sh", "-c", "if [ -n \"$FUNCTION\" ]; then exec node_modules/.bin/tsx functions/serve-one.ts \"$FUNCTION\"; else exec node_modules/.bin/tsx gateway/main.ts; fi"]
