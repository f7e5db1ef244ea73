#!/usr/bin/env bash
# `npm run dev:queue`: the package in n8n's queue mode (main + 2 workers, Redis, PostgreSQL) for a
# person to try. Installs the pinned Node 24 + n8n (first run) and, as root, Debian's redis-server
# and PostgreSQL when missing. Ports 5720–5729 (CONVERTLY_QUEUE_BASE_PORT moves them). With
# CONVERTLY_API_KEY set it uses the real API instead of the simulator. Ctrl-C stops everything.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

source scripts/n8n-runtime.sh
source scripts/queue-deps.sh
ensure_queue_deps

echo "[dev:queue] building the package"
npm run build >/dev/null
# exec: the Node process is the one Ctrl-C reaches; it stops every process it started by PID.
exec node scripts/dev-queue.js
