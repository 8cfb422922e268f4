# Vigil: web app (3000) and worker (3001) in one container, run by the `npm start` launcher,
# which restarts either process if it dies. Build: docker build -t vigil .
FROM node:20-bookworm-slim

# better-sqlite3 and @node-rs/argon2 may need to compile when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
# postinstall generates the Prisma clients from the WebAssembly engines in the packages: no download.
RUN npm install --no-audit --no-fund

COPY . .

RUN groupadd --system vigil && useradd --system --gid vigil --home-dir /var/lib/vigil vigil \
 && mkdir -p /var/lib/vigil && chown -R vigil:vigil /var/lib/vigil /app

ENV NODE_ENV=production \
    PORT=3000 \
    WORKER_PORT=3001 \
    VIGIL_DATA_DIR=/var/lib/vigil \
    VIGIL_CONFIG=/var/lib/vigil/vigil.config.yaml \
    NEXT_TELEMETRY_DISABLED=1

USER vigil
VOLUME /var/lib/vigil
EXPOSE 3000 3001

HEALTHCHECK --interval=30s --timeout=5s --start-period=180s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.WORKER_PORT||3001)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# The launcher builds the web app on first start (or after a source change), applies migrations, then runs both processes.
CMD ["npm", "start"]
