#!/usr/bin/env bash
# A real headless Chromium walks the KFTC and MyData authorization-code flows
# of a live finhub: installs what it needs (Debian chromium, a Korean font,
# node), builds and starts the server on a temp SQLite database, registers a
# kftc and a mydata client, picks a seeded person, then runs consent.mjs.
# Exits non-zero on any failure. The consent pages' screenshots are left in
# artifacts/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

log() { printf '\n==> %s\n' "$*"; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq "$@"
}

# --- Browser, font and node ---------------------------------------------------
pkgs=()
[ -x /usr/bin/chromium ] || pkgs+=(chromium)
# Names, banks and products are Korean: without a Hangul font the consent
# page shows empty boxes.
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=ko family 2>/dev/null)" ]; then
  pkgs+=(fonts-nanum)
fi
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
command -v curl >/dev/null 2>&1 || pkgs+=(curl)
if [ ${#pkgs[@]} -gt 0 ]; then
  log "installing ${pkgs[*]}"
  apt_install "${pkgs[@]}"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "playwright-core needs Node.js 20 or newer; found $(node --version)" >&2
  exit 1
fi

log "npm ci (playwright-core; no browser download)"
(cd "$here" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

# --- finhub -------------------------------------------------------------------
log "cargo build -p finhub"
(cd "$root" && cargo build -p finhub --locked)
target_dir=$(cd "$root" && cargo metadata --format-version 1 --no-deps |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
finhub="$target_dir/debug/finhub"

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
# Read one field of a JSON file: json FILE EXPR (EXPR over `v`).
json() {
  node -e 'const v=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(eval(process.argv[2]))' "$1" "$2"
}

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(free_port)
export FINHUB_URL="http://127.0.0.1:$port"
export FINHUB_ADMIN_KEY="browser-test-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
log "starting finhub on $FINHUB_URL"
FINHUB_LOG=json "$finhub" serve --listen "127.0.0.1:$port" --database "sqlite://$work/finhub.db" \
  >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  if curl -fsS "$FINHUB_URL/sandbox/people?limit=1" -H "Authorization: Bearer $FINHUB_ADMIN_KEY" \
    -o /dev/null 2>/dev/null; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/server.log" >&2
    echo "finhub exited before it was ready" >&2
    exit 1
  fi
  sleep 0.5
done
if ! curl -fsS "$FINHUB_URL/sandbox/people?limit=1" -H "Authorization: Bearer $FINHUB_ADMIN_KEY" -o /dev/null; then
  tail -n 40 "$work/server.log" >&2
  echo "finhub did not answer within 60 s" >&2
  exit 1
fi

admin() {
  curl -fsS -H "Authorization: Bearer $FINHUB_ADMIN_KEY" -H 'content-type: application/json' "$@"
}

export CALLBACK_PORT
CALLBACK_PORT=$(free_port)
export CLIENT_JSON="$work/client.json" PERSON_JSON="$work/person.json"
export MYDATA_CLIENT_JSON="$work/mydata-client.json"
# A name with markup characters: the pages must show it as text.
admin "$FINHUB_URL/sandbox/clients" -o "$CLIENT_JSON" -d @- <<EOF
{"profile":"kftc","name":"브라우저 <Test> & 앱",
 "redirect_uris":["http://127.0.0.1:$CALLBACK_PORT/callback"],
 "scopes":["login","inquiry","transfer","oob","sa"]}
EOF
# No scopes named: a mydata client gets every scope of mydata.md §5.7.
admin "$FINHUB_URL/sandbox/clients" -o "$MYDATA_CLIENT_JSON" -d @- <<EOF
{"profile":"mydata","name":"브라우저 가계부 <앱>",
 "redirect_uris":["http://127.0.0.1:$CALLBACK_PORT/callback"]}
EOF
admin "$FINHUB_URL/sandbox/people?limit=50" -o "$work/people.json"
# The first seeded person with a phone and an open demand account at a bank.
json "$work/people.json" 'JSON.stringify(v.people.find(p => p.phone &&
  p.accounts.some(a => a.bank_code_std && a.status === "active" && a.kind === "demand")) ?? null)' \
  >"$PERSON_JSON"
if [ "$(cat "$PERSON_JSON")" = null ]; then
  echo "no seeded person with a phone and an open bank account" >&2
  exit 1
fi
log "clients $(json "$CLIENT_JSON" v.client_id) (kftc), $(json "$MYDATA_CLIENT_JSON" v.client_id) (mydata), person $(json "$PERSON_JSON" v.person_id)"

log "node consent.mjs (headless Chromium)"
rc=0
(cd "$here" && node consent.mjs) || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "--- finhub log (tail) ---" >&2
  tail -n 40 "$work/server.log" >&2
  exit "$rc"
fi
echo "screenshots: $here/artifacts/consent.png, $here/artifacts/mydata-consent.png"
