# Entity Lens's command line in a container, for document pipelines: a pipe stage
# (`tag --jsonl`, e.g. under Spark's RDD.pipe), a Kubernetes Job, or a BullMQ `worker`.
# Node 20 on Debian slim, onnxruntime's native library for one platform (linux x64 by default;
# --build-arg ORT_ARCH=arm64 for arm64 machines), the embedded default model, OCR and PDF intake.
# Nothing is fetched at run time. The entry point is the CLI: `docker run IMAGE tag --jsonl`.
#
#   docker build -t entity-lens .
#   docker run -i --rm entity-lens tag --jsonl --workers 4 < records.jsonl > results.jsonl
#   docker run --rm entity-lens worker --redis redis://queue.internal:6379 --until-empty
#
# README.md, "Tagging at scale", shows the Spark, Kubernetes and BullMQ set-ups.

FROM node:20-bookworm-slim AS build
ARG ORT_ARCH=x64
WORKDIR /src
COPY package.json package-lock.json ./
RUN ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
COPY . .
# bundle the CLI and its workers, drop the build tools, keep one platform's onnxruntime and the
# one OCR core the worker loads
RUN node esbuild.mjs \
  && npm prune --omit=dev --no-audit --no-fund \
  && find node_modules/onnxruntime-node/bin/napi-v6 -mindepth 2 -maxdepth 2 -type d ! -path "*/linux/${ORT_ARCH}" -exec rm -rf {} + \
  && find node_modules/tesseract.js-core -name 'tesseract-core*' ! -name 'tesseract-core-simd-lstm.*' -delete \
  && rm -rf node_modules/@tesseract.js-data/eng/4.0.0 \
  && rm -f out/*.map

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    ENTITY_LENS_CACHE_DIR=/tmp/entity-lens-cache
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/bin ./bin
COPY --from=build /src/out/cli.js /src/out/stream-worker.js /src/out/ocr-worker.js /src/out/train-worker.js ./out/
COPY --from=build /src/models/default ./models/default
COPY --from=build /src/node_modules ./node_modules
USER node
# exec form: the CLI is PID 1 and gets SIGTERM itself (a worker finishes its jobs, then exits;
# a stream stops at once, every line it wrote complete)
ENTRYPOINT ["node", "/app/bin/entity-lens.js"]
CMD ["--help"]
