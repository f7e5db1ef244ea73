#!/usr/bin/env bash
# `npm run test:e2e`: the package in a real n8n. Installs the pinned Node 24 + n8n (first run) and
# Debian's Chromium (as root, when missing), builds the package, then runs the CLI tier and the
# server + browser tier with Node's test runner, the queue tier, and the CLI tier again against the
# last n8n 1.x. Everything started is stopped by PID on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
started=$SECONDS

source scripts/n8n-runtime.sh
echo "[e2e] n8n $N8N_VERSION on node $(node -v) (runtime ready after $((SECONDS - started)) s)"

if [ -z "${CHROMIUM_PATH:-}" ] && [ ! -x /usr/bin/chromium ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "[e2e] installing Debian's chromium for the browser tier"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	else
		echo "[e2e] /usr/bin/chromium is missing: install Debian's chromium (or set CHROMIUM_PATH)" >&2
		exit 1
	fi
fi

E2E_PID_DIR="$(mktemp -d)"
export E2E_PID_DIR
cleanup() {
	local pids=()
	for file in "$E2E_PID_DIR"/*.pid; do
		[ -e "$file" ] && pids+=("$(cat "$file")")
	done
	[ ${#pids[@]} -gt 0 ] && stop_groups "${pids[@]}"
	rm -rf "$E2E_PID_DIR"
}
trap cleanup EXIT INT TERM

npm run build >/dev/null
rm -rf e2e/artifacts && mkdir -p e2e/artifacts
node --test --test-concurrency=1 e2e/cli.test.js e2e/server.test.js e2e/trigger.test.js

# Queue tier: main + 2 workers with Debian's Redis and PostgreSQL (installed as root when missing).
# Its temp folders (PostgreSQL's must be reachable by the postgres user) live in one folder that
# the trap removes even if the tier crashes.
source scripts/queue-deps.sh
ensure_queue_deps
QUEUE_TMP="$(mktemp -d)"
chmod 755 "$QUEUE_TMP"
trap 'cleanup; rm -rf "$QUEUE_TMP"' EXIT INT TERM
queue_started=$SECONDS
TMPDIR="$QUEUE_TMP" node --test --test-concurrency=1 e2e/queue.test.js
echo "[e2e] queue tier took $((SECONDS - queue_started)) s; process logs in e2e/artifacts/queue/"

# CLI tier again against the last n8n 1.x (e2e/n8n1-runtime; installed the first time, about
# 3 minutes). The runtime script re-exports N8N_BIN/N8N_VERSION for it.
n8n1_started=$SECONDS
export N8N_E2E_RUNTIME=1x
source scripts/n8n-runtime.sh
echo "[e2e] n8n $N8N_VERSION on node $(node -v) (runtime ready after $((SECONDS - n8n1_started)) s)"
node --test --test-concurrency=1 e2e/cli.test.js
unset N8N_E2E_RUNTIME
echo "[e2e] n8n 1.x CLI tier took $((SECONDS - n8n1_started)) s"
echo "[e2e] done in $((SECONDS - started)) s; screenshots in e2e/artifacts/"
