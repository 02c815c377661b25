# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
COPY scripts ./scripts
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

# Run stage: the compiled app, production dependencies, Debian's ffmpeg for media jobs, and for
# document previews LibreOffice (no GUI), poppler, bubblewrap and fonts that cover Vietnamese
# (never fonts-crosextra-caladea: it drops tone marks; Cambria is mapped to Noto Serif).
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg ca-certificates \
      libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui poppler-utils bubblewrap \
      fonts-liberation2 fonts-crosextra-carlito fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production FFMPEG_PATH=/usr/bin/ffmpeg FFPROBE_PATH=/usr/bin/ffprobe
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY migrations ./migrations
USER node
EXPOSE 3000 3001
# The same image runs the API (default) or a worker: `node dist/workers/main.js`.
CMD ["node", "dist/src/main.js"]
