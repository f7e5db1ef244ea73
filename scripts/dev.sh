#!/usr/bin/env bash
# `npm run dev`: a local n8n with this package installed, against the Convertly simulator (or the
# real API when CONVERTLY_API_KEY is set). The first run installs a pinned Node 24 and n8n into
# git-ignored folders (about 4 minutes). Ctrl-C stops everything this script started.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

source scripts/n8n-runtime.sh

PORT="${N8N_PORT:-5678}"
SIMULATOR_PORT="${CONVERTLY_SIMULATOR_PORT:-4010}"
OWNER_EMAIL=dev@convertly.local
OWNER_PASSWORD=Convertly-dev-1
export N8N_USER_FOLDER="$DEV_DIR/user"
export N8N_ENCRYPTION_KEY=convertly-dev-encryption-key
export N8N_PORT="$PORT" N8N_RUNNERS_BROKER_PORT=$((PORT + 1)) N8N_DEV_RELOAD=true N8N_LOG_LEVEL=info
mkdir -p "$N8N_USER_FOLDER"

pids=()
cleanup() {
	trap - EXIT INT TERM
	echo
	echo "[dev] stopping ${#pids[@]} processes"
	[ ${#pids[@]} -gt 0 ] && stop_groups "${pids[@]}"
	echo "[dev] stopped"
}
trap cleanup EXIT INT TERM

# Runs a command in a process group of its own, so that stopping it also stops its children.
start() {
	local log=$1
	shift
	setsid "$@" >"$log" 2>&1 &
	pids+=($!)
}

# n8n watches an installed package's whole folder and reloads on any change in it. So the package
# n8n sees is a folder of its own holding only package.json and the compiled dist/ (which
# `tsc --watch` below writes into), not the repository, whose logs and database would retrigger it.
PACKAGE_DIR="$N8N_USER_FOLDER/.n8n/nodes/node_modules/n8n-nodes-convertly"
echo "[dev] building the package"
npm run build >/dev/null
rm -rf "$PACKAGE_DIR"
mkdir -p "$PACKAGE_DIR"
cp package.json "$PACKAGE_DIR/"
cp -R dist "$PACKAGE_DIR/dist"

if [ -n "${CONVERTLY_API_KEY:-}" ]; then
	BASE_URL="${CONVERTLY_BASE_URL:-https://convertly.sh}"
	API_KEY="$CONVERTLY_API_KEY"
	CREDENTIAL_NAME="Convertly"
	echo "[dev] using the real Convertly API at $BASE_URL"
else
	BASE_URL="http://127.0.0.1:$SIMULATOR_PORT"
	API_KEY=cvly_simulator_demo_key
	CREDENTIAL_NAME="Convertly (local simulator)"
	start "$DEV_DIR/simulator.log" node simulator/cli.js --port "$SIMULATOR_PORT"
	echo "[dev] Convertly simulator on $BASE_URL (log: .n8n-dev/simulator.log)"
fi

# The examples that read and write files (convert-files, video-thumbnail) name n8n's Docker folder
# /home/node/.n8n-files/convertly; here they use .n8n-dev/files/convertly instead (rewritten on
# import, as the e2e CLI tier does), which n8n's file nodes may use beside ~/.n8n-files. Its in/
# gets sample inputs once: two PNGs (convert-files) and sample.mp4 (video-thumbnail), an MP4
# header and filler bytes that the simulator takes as a video; for the real API, put a real
# video there instead. Files you put there are never overwritten.
FILES_DIR="$DEV_DIR/files"
export N8N_RESTRICT_FILE_ACCESS_TO="$FILES_DIR;~/.n8n-files"
mkdir -p "$FILES_DIR/convertly/in" "$FILES_DIR/convertly/out"
node -e '
const fs = require("fs");
const path = require("path");
const { makePng } = require("./simulator");
const inDir = process.argv[1];
const samples = {
	"red.png": () => makePng(320, 180, { seed: "red" }),
	"blue.png": () => makePng(240, 240, { seed: "blue" }),
	"sample.mp4": () => Buffer.concat([Buffer.from("000000186674797069736f6d0000020069736f6d69736f32", "hex"), Buffer.alloc(4096, 7)]),
};
for (const [name, make] of Object.entries(samples)) {
	const file = path.join(inDir, name);
	if (!fs.existsSync(file)) fs.writeFileSync(file, make());
}
' "$FILES_DIR/convertly/in"

# The import example (import-and-archive) fetches https://files.example.com/convertly/sample-catalogue.zip,
# a placeholder. With the simulator, that address is rewritten on import to a loopback file server
# started here (scripts/serve-files.js on port $CONVERTLY_SAMPLES_PORT, default 4012), serving
# .n8n-dev/files/samples/, whose sample-catalogue.zip (a README, two PNGs and a CSV in subfolders)
# is made once. The real API cannot reach a loopback address: there, put a public ZIP's URL in
# the imported workflow instead.
SAMPLES_DIR="$FILES_DIR/samples"
SAMPLES_URL=https://files.example.com/convertly
mkdir -p "$SAMPLES_DIR"
node -e '
const fs = require("fs");
const path = require("path");
const { makePng, makeZip } = require("./simulator");
const file = path.join(process.argv[1], "sample-catalogue.zip");
if (!fs.existsSync(file)) {
	makeZip([
		{ name: "README.txt", bytes: Buffer.from("Sample catalogue for the Convertly import example.\n") },
		{ name: "images/red.png", bytes: makePng(320, 180, { seed: "red" }) },
		{ name: "images/blue.png", bytes: makePng(240, 240, { seed: "blue" }) },
		{ name: "prices/2025/list.csv", bytes: Buffer.from("sku,price\nA-1,9.90\nB-2,14.50\n") },
	]).then((zip) => fs.writeFileSync(file, zip));
}
' "$SAMPLES_DIR"
if [ -z "${CONVERTLY_API_KEY:-}" ]; then
	SAMPLES_PORT="${CONVERTLY_SAMPLES_PORT:-4012}"
	SAMPLES_URL="http://127.0.0.1:$SAMPLES_PORT"
	start "$DEV_DIR/samples.log" node scripts/serve-files.js --dir "$SAMPLES_DIR" --port "$SAMPLES_PORT"
	echo "[dev] sample files for the import example on $SAMPLES_URL (from .n8n-dev/files/samples)"
fi

# The credential and the example workflows are imported whenever they differ from what the last
# start imported (mode, key, Base URL, example files, n8n version), so the credential always matches
# the mode chosen above. Unchanged, the two imports (each boots n8n's CLI, 6-18 s together) are
# skipped. The file holding the key is deleted right after; the stamp holds only a SHA-256 of it.
import_dir="$(mktemp -d)"
node -e '
const fs = require("fs");
const [file, dir, name, apiKey, baseUrl] = process.argv.slice(1);
const [credential] = JSON.parse(fs.readFileSync(file, "utf8"));
fs.writeFileSync(`${dir}/credentials.json`, JSON.stringify([{ ...credential, name, data: { ...credential.data, apiKey, baseUrl } }]));
' examples/credentials.simulator.json "$import_dir" "$CREDENTIAL_NAME" "$API_KEY" "$BASE_URL"
mkdir "$import_dir/workflows"
cp examples/*.json "$import_dir/workflows/" && rm "$import_dir/workflows/credentials.simulator.json"
node -e '
const fs = require("fs");
const [dir, folder, samplesUrl] = process.argv.slice(1);
for (const name of fs.readdirSync(dir)) {
	const file = `${dir}/${name}`;
	const text = fs.readFileSync(file, "utf8").replaceAll("/home/node/.n8n-files/convertly", folder);
	fs.writeFileSync(file, text.replaceAll("https://files.example.com/convertly", samplesUrl));
}
' "$import_dir/workflows" "$FILES_DIR/convertly" "$SAMPLES_URL"
IMPORT_STAMP="$N8N_USER_FOLDER/.convertly-imported"
fingerprint=$( { echo "$N8N_VERSION"; cat "$import_dir/credentials.json" "$import_dir"/workflows/*.json; } | sha256sum | cut -d' ' -f1)
workflow_count=$(ls examples | grep -vc credentials)
if [ -f "$N8N_USER_FOLDER/.n8n/database.sqlite" ] && [ "$(cat "$IMPORT_STAMP" 2>/dev/null)" = "$fingerprint" ]; then
	echo "[dev] the credential \"$CREDENTIAL_NAME\" and $workflow_count example workflows are as imported before (rm .n8n-dev/user/.convertly-imported to import them again)"
else
	rm -f "$IMPORT_STAMP"
	(cd "$RUNTIME_DIR" && "$N8N_BIN" import:credentials --input="$import_dir/credentials.json" >/dev/null)
	(cd "$RUNTIME_DIR" && "$N8N_BIN" import:workflow --separate --input="$import_dir/workflows" >/dev/null)
	echo "$fingerprint" >"$IMPORT_STAMP"
	echo "[dev] imported the credential \"$CREDENTIAL_NAME\" and $workflow_count example workflows"
fi
rm -rf "$import_dir"

start "$DEV_DIR/tsc.log" "$ROOT/node_modules/.bin/tsc" --watch --preserveWatchOutput -p tsconfig.json --outDir "$PACKAGE_DIR/dist"
cd "$RUNTIME_DIR"
start "$DEV_DIR/n8n.log" "$N8N_BIN" start
cd "$ROOT"
echo "[dev] starting n8n $N8N_VERSION (log: .n8n-dev/n8n.log)"
for _ in $(seq 1 240); do
	curl -fs "http://127.0.0.1:$PORT/healthz/readiness" >/dev/null 2>&1 && break
	sleep 0.5
done
curl -fs "http://127.0.0.1:$PORT/healthz/readiness" >/dev/null || { echo "[dev] n8n did not become ready; see .n8n-dev/n8n.log" >&2; exit 1; }

# Owner account on first start; later starts answer 400 (already set up), which is fine.
curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT/rest/owner/setup" -H 'content-type: application/json' \
	-d "{\"email\":\"$OWNER_EMAIL\",\"firstName\":\"Dev\",\"lastName\":\"Convertly\",\"password\":\"$OWNER_PASSWORD\"}"

cat <<EOF

  n8n with n8n-nodes-convertly is running: http://127.0.0.1:$PORT
  Log in as $OWNER_EMAIL / $OWNER_PASSWORD
  Credential: "$CREDENTIAL_NAME" -> $BASE_URL
  Example workflows: $workflow_count imported from examples/ (their names start with "Convertly:")
  The file examples read $FILES_DIR/convertly/in and write to …/convertly/out
  The import example fetches its ZIP from $SAMPLES_URL
  Edits under nodes/ and credentials/ are recompiled and reloaded by n8n within seconds.
  Ctrl-C stops n8n, the compiler$( [ -z "${CONVERTLY_API_KEY:-}" ] && echo ', the simulator and the sample file server').

EOF
wait
