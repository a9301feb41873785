#!/usr/bin/env bash
# The published OBP client, obp-python 0.206 from PyPI, run unchanged against
# finhub's OBP face (obp-sandbox.md: "so that the published PyPI client
# obp-python 0.206 works against finhub unchanged").
#
# Installs the client into a throwaway venv, starts `finhub serve` on a free
# loopback port over a fresh database, registers an `obp` client (its
# client_id is the DirectLogin consumer_key), then drives the client's own
# commands non-interactively: the client reads OBP_API_HOST, OBP_USERNAME,
# OBP_PASSWORD, OBP_CONSUMER_KEY, OBP_AUTH_TOKEN and OBP_USER_ID from the
# environment before its config files, and stdin is /dev/null so a prompt
# fails instead of waiting. Each step prints what it ran and what the client
# printed; a step fails when the client exits non-zero or prints an error
# (an OBP-NNNNN code, ERROR, WARNING or a traceback). Every step runs; the
# script exits non-zero when any failed.
#
# Env: FINHUB_BIN           the finhub binary (default target/debug/finhub; built by the caller)
#      FINHUB_DATABASE_URL  a PostgreSQL URL: the run gets a new database beside
#                           it (made with psql, dropped afterwards); unset: SQLite
#      OBP_PYTHON_VERSION   default 0.206
set -euo pipefail
cd "$(dirname "$0")/../.."

FINHUB=$(realpath -m "${FINHUB_BIN:-target/debug/finhub}")
VERSION=${OBP_PYTHON_VERSION:-0.206}
BANK=004
SUPER=obp-python-admin
FELIX=felix
PASSWORD='Sandbox!2026x'
TMP=$(mktemp -d /tmp/finhub-obp-python-XXXXXX)
VENV=$TMP/venv
SERVER=""
PG_DB=""
PG_ADMIN_URL=""

export FINHUB_ADMIN_KEY=obp-python-admin-key-$$-$RANDOM
export FINHUB_OBP_SUPER_ADMIN_USERNAMES=$SUPER
export FINHUB_LOG=json RUST_LOG=${RUST_LOG:-warn}
# The client's config files live here, so nothing of a developer's ~/.config/obp is read.
export XDG_CONFIG_HOME=$TMP/config

say() { printf '\n== %s\n' "$*" >&2; }
cleanup() {
  if [[ -n $SERVER ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [[ -n $PG_DB ]]; then psql -q "$PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true; fi
  rm -rf "$TMP"
  return 0
}
trap cleanup EXIT

[[ -x $FINHUB ]] || { echo "no finhub binary at $FINHUB: cargo build -p finhub --bin finhub, or set FINHUB_BIN" >&2; exit 1; }

say "installing obp-python==$VERSION into a throwaway venv"
python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check "obp-python==$VERSION"
OBP=$VENV/bin/obp
PY=$VENV/bin/python

# --- the server ------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
if [[ -n ${FINHUB_DATABASE_URL:-} ]]; then
  # A database of its own: the client's fixed account routing and the
  # usernames would collide with an earlier run's.
  PG_ADMIN_URL=$FINHUB_DATABASE_URL
  PG_DB=finhub_obp_python_$$_$RANDOM
  psql -q "$PG_ADMIN_URL" -c "CREATE DATABASE $PG_DB" >/dev/null
  DATABASE=${FINHUB_DATABASE_URL%/*}/$PG_DB
  say "PostgreSQL database $PG_DB"
else
  DATABASE=sqlite://$TMP/finhub.db
  say "SQLite $TMP/finhub.db"
fi
"$FINHUB" serve --listen "127.0.0.1:$PORT" --database "$DATABASE" --demo-people 0 >"$TMP/serve.log" 2>&1 &
SERVER=$!
up=""
for _ in $(seq 600); do
  if grep -q '^ready' "$TMP/serve.log" 2>/dev/null; then up=1; break; fi
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.1
done
[[ -n $up ]] || { echo "finhub did not come up:" >&2; cat "$TMP/serve.log" >&2; exit 1; }
say "finhub at $BASE"

client=$(curl -sS --max-time 30 -X POST "$BASE/sandbox/clients" \
  -H "Authorization: Bearer $FINHUB_ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"profile":"obp","name":"obp-python","redirect_uris":["https://example.com/cb"],"scopes":["customer","kyc"]}')
CONSUMER_KEY=$(jq -r .client_id <<<"$client")
[[ -n $CONSUMER_KEY && $CONSUMER_KEY != null ]] || { echo "POST /sandbox/clients: $client" >&2; exit 1; }

# --- the steps ---------------------------------------------------------------
export OBP_API_HOST=$BASE OBP_CONSUMER_KEY=$CONSUMER_KEY OBP_USERNAME=$SUPER OBP_PASSWORD=$PASSWORD
PASSED=()
FAILED=()
OUT=""

# step NAME COMMAND...: run it, print it and its output, set OUT; record the result.
step() {
  local name=$1 rc=0
  shift
  printf '\n$'; printf ' %q' "$@"; printf '\n'
  OUT=$("$@" </dev/null 2>&1) || rc=$?
  printf '%s\n' "$OUT"
  if [[ $rc -ne 0 ]] || grep -Eq 'OBP-[0-9]{5}|ERROR|WARNING|Traceback' <<<"$OUT"; then
    echo "-- FAIL: $name (exit $rc)"
    FAILED+=("$name")
    return 1
  fi
  echo "-- ok: $name"
  PASSED+=("$name")
}

# A field of the JSON or Python-dict text the client printed ("" when absent).
field() {
  "$PY" -c 'import ast, json, sys
text = sys.stdin.read().strip()
try:
    v = json.loads(text)
except ValueError:
    try:
        v = ast.literal_eval(text.splitlines()[0] if text else "{}")
    except (ValueError, SyntaxError):
        v = {}
print(v.get(sys.argv[1], "") if isinstance(v, dict) else "")' "$1" <<<"$OUT"
}

user_args() { echo --username "$1" --email "$1@example.com" --password "$PASSWORD" --firstname Test --lastname "$1"; }

# shellcheck disable=SC2046
step "adduser (super admin)" "$OBP" adduser $(user_args "$SUPER") || true
# shellcheck disable=SC2046
step "adduser (felix)" "$OBP" adduser $(user_args "$FELIX") || true
FELIX_ID=$(field user_id)

step "getauth (DirectLogin)" "$OBP" getauth || true
OBP_AUTH_TOKEN=$(field token)
export OBP_AUTH_TOKEN

step "getuserid" "$OBP" getuserid || true
OBP_USER_ID=$(field user_id)
export OBP_USER_ID
step "getuser" "$OBP" getuser || true

for role in CanCreateCustomer:$BANK CanCreateUserCustomerLink:$BANK CanUpdateCustomerNumber:$BANK \
  CanCreateAccount:$BANK CanUseFirehoseAtAnyBank: CanUseCustomerFirehoseAtAnyBank:; do
  name=${role%%:*} bank=${role#*:}
  step "addrole $name" "$OBP" addrole --role-name "$name" ${bank:+--bank-id "$bank"} || true
done

step "getbanks" "$OBP" getbanks || true

step "addcustomer" "$OBP" addcustomer --bank-id "$BANK" --username "$FELIX" --customer-number 1 \
  --legal-name "Felix Smith" --title Mr --mobile-number "+82 10 5555 0101" --email felix@example.com \
  --face-image-url https://example.com/felix.jpg --face-image-date 2017-09-19T00:00:00Z \
  --birthdate 1990-09-19T00:00:00Z --relationship-status single --number-of-dependants 1 \
  --dob-dependants 2017-09-19T00:00:00Z --credit-rating-rating OBP --credit-rating-source OBP \
  --credit-rating-currency KRW --credit-limit-currency KRW --credit-limit-amount 0 \
  --highest-education-attained Degree --employment-status employed --kyc-status true \
  --last-ok-date 2017-09-19T00:00:00Z --branch-id 1234 --name-suffix "" || true
CUSTOMER_ID=$(field customer_id)

step "linkusertocustomer" "$OBP" linkusertocustomer --bank-id "$BANK" --user-id "${FELIX_ID:-none}" \
  --customer-id "${CUSTOMER_ID:-none}" || true

step "getcustomers (firehose)" "$OBP" getcustomers --bank-id "$BANK" || true

# The client has no command for it: its library function, as a script would call it.
step "updateCustomerNumber (library)" "$PY" -c 'import sys
from obp_python.updateCustomerNumber import updateCustomerNumber
r = updateCustomerNumber(bank_id=sys.argv[1], customer_id=sys.argv[2], customer_number="obp-python-2")
print(r.text)
sys.exit(0 if r.status_code == 200 else "status %d" % r.status_code)' "$BANK" "${CUSTOMER_ID:-none}" || true

step "addaccount" "$OBP" addaccount --userid "${FELIX_ID:-none}" --accountid obp-python-1 --label "Felix current" \
  --type CURRENT --currency KRW --branchid 1234 --bankid "$BANK" || true

# --- the verdict -------------------------------------------------------------
say "obp-python $VERSION: ${#PASSED[@]} passed, ${#FAILED[@]} failed"
for n in "${PASSED[@]}"; do echo "  ok    $n" >&2; done
for n in "${FAILED[@]}"; do echo "  FAIL  $n" >&2; done
[[ ${#FAILED[@]} -eq 0 ]]
