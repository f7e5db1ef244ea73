#!/usr/bin/env bash
# Sourced by scripts/dev-queue.sh and e2e/run.sh: makes sure Debian's redis-server and PostgreSQL
# are installed (as root, when missing; as another user it says what to install). Their system
# services are not started: every run starts its own Redis and PostgreSQL on ports of its own.

queue_deps_log() { printf '[queue-deps] %s\n' "$*" >&2; }

queue_deps_missing() {
	local missing=()
	command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
	if [ -z "${PG_BIN:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
		missing+=(postgresql)
	fi
	echo "${missing[@]}"
}

ensure_queue_deps() {
	local missing
	missing="$(queue_deps_missing)"
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		queue_deps_log "missing: $missing. Install Debian's packages (sudo apt-get install -y $missing) or set PG_BIN."
		return 1
	fi
	queue_deps_log "installing Debian's $missing"
	# Keep the packages' init scripts from starting system-wide services while installing.
	local policy=/usr/sbin/policy-rc.d created_policy=0
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
	fi
	local status=0
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null || status=$?
	[ "$created_policy" = 1 ] && rm -f "$policy"
	[ "$status" = 0 ] || { queue_deps_log "apt-get failed ($status)"; return 1; }
	missing="$(queue_deps_missing)"
	[ -z "$missing" ] || { queue_deps_log "still missing after install: $missing"; return 1; }
}
