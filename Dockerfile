# One image for every verihub app; the command chooses the app (see docker-compose.yml and deploy/):
#   docker build -t verihub .
#   docker run --rm -e DATABASE_URL=... verihub node dist/apps/aggregator/main.js migrate
#   docker run -e DATABASE_URL=... -e KAFKA_BROKERS=... verihub node dist/apps/aggregator/main.js
# The gateway (and the hub) serve the web console built into dist/apps/console at / (VERIHUB_STATIC_DIR).
# Apps: gateway (default, port 3000), aggregator, adapter-public-security, adapter-tax, adapter-housing,
# adapter-provident-fund, adapter-bank (BANK_CODE), hub (single process).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    VERIHUB_STATIC_DIR=/app/dist/apps/console
WORKDIR /app
# The bundles in dist/ keep node_modules external: only the production dependencies are installed.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Writable data directory for the single-process hub (embedded PostgreSQL), which never runs as root.
RUN mkdir -p /app/.verihub && chown node:node /app/.verihub
USER node
EXPOSE 3000
# Each app stops gracefully on SIGTERM (docker stop, Kubernetes).
CMD ["node", "dist/apps/gateway/main.js"]
