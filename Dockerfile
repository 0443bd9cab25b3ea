# syntax=docker/dockerfile:1
# One image for every Portico process; the command picks the service:
#   docker run --rm -p 4000:4000 portico serve gateway     (models, billing, metering, health,
#                                                           issuer, web, mobile, cli alike)
# Built from the locked tree (npm ci) and compiled to JavaScript (npm run build: the esbuild
# bundle of scripts/build.js, the same build npm start runs). Nothing is downloaded when a
# container starts.
ARG NODE_VERSION=22

# Compile the TypeScript and gather what runs: dist/, the config and supergraph, the schemas.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN npm run build
RUN mkdir -p /out && cp -r dist package.json portico.yaml supergraph.yaml supergraph.graphql /out/
# The services read their .graphql files at run time (found from package.json, as from source).
RUN for dir in subgraphs bffs; do \
      if [ -d "$dir" ]; then find "$dir" -name '*.graphql' -exec cp --parents {} /out/ \; ; fi; \
    done; \
    if [ -f persisted-operations.json ]; then cp persisted-operations.json /out/; fi

# Production dependencies only, from the same lock file.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    PORTICO_HOST=0.0.0.0 \
    APOLLO_TELEMETRY_DISABLED=true
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /out ./
# The dev issuer keeps its key here (compose's local stack only; never in production). The
# gateway's assertion keys are mounted under keys/ (private for gateways, public for subgraphs);
# a named volume takes these directories' owner on first use, so the node user can write them.
RUN mkdir -p .portico keys/private keys/public && chown -R node:node .portico keys
USER node
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve", "gateway"]
