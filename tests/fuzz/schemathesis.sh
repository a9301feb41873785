#!/usr/bin/env bash
# Property-based fuzzing of every face through its own OpenAPI document.
#
# For each face in FACES: build finhub (debug), start `finhub serve` on a
# temporary SQLite database and a free loopback port, create a client of the
# face's profile, take a token, register a user (so generated requests can
# reach real fintech_use_nums), then run schemathesis against the face's
# document with the bearer header. A 5xx, a response the document does not
# describe (status, content type or body) fails the run.
#
# Env: FUZZ_EXAMPLES  examples per operation (default 100; CI's fast variant: 20)
#      FUZZ_SEED      hypothesis seed (default: fixed, so CI runs are repeatable)
#      FACES          faces to fuzz, as name:document pairs (default: every face
#                     the server lists at /openapi; each needs a prepare_<name>)
#      CARGO_TARGET_DIR  where the build and the schemathesis venv live
set -euo pipefail
cd "$(dirname "$0")/../.."

EXAMPLES=${FUZZ_EXAMPLES:-100}
SEED=${FUZZ_SEED:-20260101}
SCHEMATHESIS_VERSION=4.32.5
TARGET=${CARGO_TARGET_DIR:-target}
VENV=$(realpath -m "$TARGET/schemathesis-venv")
FINHUB=$(realpath -m "$TARGET/debug/finhub")
ADMIN=fuzz-admin-key-$$-$RANDOM
export FINHUB_ADMIN_KEY=$ADMIN FINHUB_OBP_SUPER_ADMIN_USERNAMES=fuzz-admin FINHUB_LOG=json RUST_LOG=${RUST_LOG:-warn}
TMP=$(mktemp -d /tmp/finhub-schemathesis-XXXXXX)
SERVER=""

say() { printf '\n== %s\n' "$*" >&2; }
cleanup() {
  [[ -n ${SIGNER:-} ]] && kill "$SIGNER" 2>/dev/null
  [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  rm -rf "$TMP"
  return 0
}
trap cleanup EXIT

if [[ ! -x $VENV/bin/schemathesis ]] || [[ $("$VENV/bin/schemathesis" --version) != *"$SCHEMATHESIS_VERSION"* ]]; then
  say "installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

say "debug build of finhub"
cargo build -q -p finhub --bin finhub

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start() {
  PORT=$(free_port)
  BASE=http://127.0.0.1:$PORT
  "$FINHUB" serve --listen "127.0.0.1:$PORT" --database "sqlite://$TMP/$1.db" --demo-people 5 \
    >"$TMP/serve-$1.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 600); do
    grep -q '^ready' "$TMP/serve-$1.log" 2>/dev/null && return 0
    kill -0 "$SERVER" 2>/dev/null || { cat "$TMP/serve-$1.log" >&2; return 1; }
    sleep 0.1
  done
  echo "server did not come up" >&2
  return 1
}
stop() {
  [[ -n ${SIGNER:-} ]] && { kill "$SIGNER" 2>/dev/null || true; wait "$SIGNER" 2>/dev/null || true; SIGNER=""; }
  kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

admin() { # METHOD PATH [JSON]
  curl -sS --max-time 30 -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$BASE$2"
}

# --- per-face preparation: sets TOKEN (or AUTH_HEADER, the whole header when
# the face's scheme is not Bearer) and writes $TMP/params.toml -------------

prepare_kftc() {
  local c cid secret org t p a r dtime
  c=$(admin POST /sandbox/clients '{"profile":"kftc","name":"fuzz","redirect_uris":[],"scopes":["oob","sa"]}')
  cid=$(jq -r .client_id <<<"$c"); secret=$(jq -r .client_secret <<<"$c"); org=$(jq -r .org_code <<<"$c")
  [[ $cid != null ]] || { echo "client: $c" >&2; return 1; }
  t=$(curl -sS --max-time 30 -X POST "$BASE/oauth/2.0/token" --data-urlencode "client_id=$cid" \
    --data-urlencode "client_secret=$secret" --data-urlencode "scope=oob sa" -d grant_type=client_credentials)
  TOKEN=$(jq -r .access_token <<<"$t")
  [[ $TOKEN != null ]] || { echo "token: $t" >&2; return 1; }
  p=$(admin POST /sandbox/people '{"name":"퍼즈","birth_date":"1990-01-01"}')
  a=$(admin POST "/sandbox/people/$(jq -r .person_id <<<"$p")/accounts" \
    '{"bank_code_std":"004","kind":"demand","balance":1000000}')
  dtime=$(TZ=Asia/Seoul date +%Y%m%d%H%M%S)
  r=$(curl -sS --max-time 30 -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    "$BASE/v2.0/user/register" -d "$(jq -nc --arg t "${org}U000000001" --arg d "$dtime" --argjson p "$p" --argjson a "$a" '{
      bank_tran_id:$t, bank_code_std:$a.bank_code_std, register_account_num:$a.account_num,
      user_info:($p.birth_date|gsub("-";"")), user_name:$p.name, user_ci:$p.ci,
      user_email:"user@example.com", scope:"inquiry", info_prvd_agmt_yn:"Y", wd_agmt_yn:"Y",
      agmt_data_type:"1", tran_dtime:$d}')")
  [[ $(jq -r .rsp_code <<<"$r") == A0000 ]] || { echo "register: $r" >&2; return 1; }
  # Generated requests reuse these for the identifiers they name, so the
  # fuzzer gets past the id checks into the handlers; bodies stay generated.
  cat >"$TMP/params.toml" <<EOF
[[project]]
title = "finhub kftc"
[project.parameters]
"query.fintech_use_num" = "$(jq -r .fintech_use_num <<<"$r")"
"query.user_seq_no" = "$(jq -r .user_seq_no <<<"$r")"
EOF
}

prepare_mydata() {
  local c p pid redirect=https://op.example/cb org=BA00000004
  c=$(admin POST /sandbox/clients "$(jq -nc --arg r "$redirect" '{profile:"mydata", name:"fuzz",
    redirect_uris:[$r], scopes:["bank.list","bank.deposit","bank.invest","bank.loan","bank.irp",
    "card.list","card.card","card.point","card.bill","card.loan","card.prepaid",
    "invest.list","invest.account","invest.irp","insu.list","insu.insurance","insu.loan","insu.irp",
    "efin.list","efin.prepaid","efin.paid","capital.list","capital.loan","ginsu.list","ginsu.insurance",
    "telecom.list","telecom.mgmt","p2p.list","p2p.lending","bond.list","bond.bond","usury.list","usury.bond"]}')")
  MD_CID=$(jq -r .client_id <<<"$c"); MD_SECRET=$(jq -r .client_secret <<<"$c"); MD_OP=$(jq -r .org_code <<<"$c")
  MD_REDIRECT=$redirect
  [[ $MD_CID != null ]] || { echo "client: $c" >&2; return 1; }
  p=$(admin POST /sandbox/people '{"name":"퍼즈","birth_date":"1990-01-01"}')
  pid=$(jq -r .person_id <<<"$p")
  admin POST "/sandbox/people/$pid/accounts" '{"bank_code_std":"004","kind":"demand","balance":1000000}' >/dev/null
  mydata_token "$pid" "$org" "bank.list bank.deposit" || return 1
  mydata_params "$org" bank
}

# A MyData token of PERSON's consent at ORG under SCOPE, in TOKEN.
mydata_token() { # PERSON ORG SCOPE
  local r code t
  r=$(admin POST /sandbox/authorize "$(jq -nc --arg c "$MD_CID" --arg p "$1" --arg o "$2" --arg r "$MD_REDIRECT" \
    --arg s "$3" '{client_id:$c, person_id:$p, org_code:$o, scope:$s, redirect_uri:$r}')")
  code=$(jq -r .redirect <<<"$r" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
  [[ -n $code ]] || { echo "authorize: $r" >&2; return 1; }
  t=$(curl -sS --max-time 30 -X POST "$BASE/oauth/2.0/token" -H "x-api-tran-id: ${MD_OP}M00000000000001" \
    --data-urlencode "org_code=$2" -d grant_type=authorization_code --data-urlencode "code=$code" \
    --data-urlencode "client_id=$MD_CID" --data-urlencode "client_secret=$MD_SECRET" \
    --data-urlencode "redirect_uri=$MD_REDIRECT")
  TOKEN=$(jq -r .access_token <<<"$t")
  [[ $TOKEN != null ]] || { echo "token: $t" >&2; return 1; }
}

# The header and the org code most calls need, so generated requests get
# past the envelope checks into the handlers; bodies stay generated.
mydata_params() { # ORG INDUSTRY
  cat >"$TMP/params.toml" <<EOF
[[project]]
title = "finhub mydata"
[project.parameters]
"header.x-api-tran-id" = "${MD_OP}M00000000000001"
"query.org_code" = "$1"
"path.industry" = "$2"
EOF
}

# The industries beyond the bank: each gets a pass over its own paths, with a
# token of a demo person's consent at an institution where they hold
# something of it (the demo world has someone holding every product).
MYDATA_INDUSTRIES="card invest insu efin capital ginsu telecom p2p bond usury"
prepare_mydata_industry() { # INDUSTRY
  local pid assets="" org="" scopes
  for pid in $(admin GET '/sandbox/people?limit=20' | jq -r '.people[].person_id'); do
    assets=$(admin GET "/sandbox/people/$pid/assets")
    org=$(jq -r --arg i "$1" '[.assets[] | select(.industry == $i)][0].org_code // empty' <<<"$assets")
    [[ -n $org ]] && break
  done
  if [[ -z $org ]]; then
    echo "no demo person holds anything of $1" >&2
    return 1
  fi
  scopes=$(jq -r --arg i "$1" --arg o "$org" \
    '[.assets[] | select(.industry == $i and .org_code == $o) | .scope] | unique | join(" ")' <<<"$assets")
  mydata_token "$pid" "$org" "$1.list $scopes" || return 1
  mydata_params "$org" "$1"
}

# ORIS: the operator (한국은행, so T2/T3 and POST /threads are reached too)
# made through the sandbox, its admin signed in (A1, every scope) with the
# 개인정보보호서약서 signed (M5); a board, a post, a comment and a file of its
# own, so generated requests that name them reach the handlers. The agency
# named in paths is a second one (a bank): the operator may act on it, and
# a generated deactivate or reject there leaves the operator's token usable.
oris_call() { # METHOD PATH [JSON]
  curl -sS --max-time 30 -X "$1" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$BASE/api/oris/v1$2"
}
prepare_oris() {
  local a kb kbj pw email t pledge thread post comment file member group key batch
  pw='Fuzz!2026pass'; email=fuzz@bok.example
  a=$(admin POST /sandbox/oris/agencies "$(jq -nc --arg e "$email" --arg p "$pw" \
    '{agencyName:"한국은행", agencyType:"한국은행", admin:{email:$e, password:$p}}')")
  [[ $(jq -r .agencyId <<<"$a") != null ]] || { echo "agency: $a" >&2; return 1; }
  kbj=$(admin POST /sandbox/oris/agencies '{"org_code":"BA00000004"}')
  kb=$(jq -r .agencyId <<<"$kbj")
  [[ $kb != null ]] || { echo "second agency not made" >&2; return 1; }
  t=$(curl -sS --max-time 30 -X POST -H 'Content-Type: application/json' "$BASE/api/oris/v1/auth/login" \
    -d "$(jq -nc --arg e "$email" --arg p "$pw" '{email:$e, password:$p}')")
  TOKEN=$(jq -r .accessToken <<<"$t")
  [[ $TOKEN != null ]] || { echo "login: $t" >&2; return 1; }
  pledge=$(oris_call GET /terms | jq -r '[.content[] | select(.termType.code == "개인정보보호서약서")][0].termId')
  oris_call POST /members/me/consents "$(jq -nc --arg t "$pledge" '{termId:$t}')" | jq -e .consentId >/dev/null \
    || { echo "pledge $pledge not signed" >&2; return 1; }
  thread=$(oris_call POST /threads '{"name":"fuzz","visibility":"ALL"}' | jq -r .threadId)
  post=$(oris_call POST "/threads/$thread/posts" '{"title":"fuzz","content":"fuzz"}' | jq -r .postId)
  comment=$(oris_call POST "/posts/$post/comments" '{"content":"fuzz"}' | jq -r .commentId)
  printf 'fuzz' >"$TMP/fuzz.txt"
  file=$(curl -sS --max-time 30 -H "Authorization: Bearer $TOKEN" -F "file=@$TMP/fuzz.txt;type=text/plain" \
    "$BASE/api/oris/v1/files" | jq -r .fileId)
  [[ $file != null && $comment != null ]] || { echo "board: $thread $post $comment $file" >&2; return 1; }
  oris_remittance "$(jq -r .agencyCode <<<"$a")" || return 1
  member=$(jq -r .admin.memberId <<<"$kbj")
  group=$(oris_call POST /groups '{"name":"fuzz group","permissions":["REMITTANCE_READ"]}' | jq -r .id)
  key=$(oris_call POST "/agencies/$kb/api-keys" '{"name":"fuzz key"}' | jq -r .apiKeyId)
  batch=$(oris_call POST /batches '{"name":"fuzz.json","batchType":"REMITTANCE","expectedRows":1,"source":{"type":"api"}}' \
    | jq -r .batchId)
  [[ $group != null && $batch != null ]] || { echo "group $group, batch $batch" >&2; return 1; }
  cat >"$TMP/params.toml" <<EOF
[[project]]
title = "finhub oris"
[project.parameters]
"path.agencyId" = "$kb"
"path.termId" = "$pledge"
"path.threadId" = "$thread"
"path.postId" = "$post"
"path.commentId" = "$comment"
"path.fileId" = "$file"
"path.userId" = "$USER_ID"
"path.businessMessageIdentifier" = "$BMI"
"path.consentId" = "$CONSENT"
"path.memberId" = "$member"
"path.groupId" = "$group"
"path.apiKeyId" = "$key"
"path.batchId" = "$batch"
EOF
}

# A remitter of the operator's, with the consent it recorded and one report
# under its agency CODE: sets USER_ID, CONSENT and BMI.
oris_remittance() { # CODE
  local u c r
  u=$(oris_call POST /users '{"userType":"내국인","userName":"류가람","userCountry":"KR","identityType":"RRN","identityNumber":"9001011234567","birthDate":"19900101"}')
  USER_ID=$(jq -r .userId <<<"$u")
  c=$(oris_call POST "/users/$USER_ID/consents" \
    '{"termId":"01JA0000000000000000000TP1","identityVerificationMethod":"MOBILE_PHONE","isUnderFourteen":false}')
  CONSENT=$(jq -r .consentId <<<"$c")
  BMI="$(TZ=Asia/Seoul date +%Y%m%d)${1}000000001"
  r=$(oris_call POST /remittances "$(jq -nc --arg b "$BMI" --arg u "$USER_ID" --arg t "$(date -Iseconds)" \
    '{businessMessageIdentifier:$b, userId:$u, requestDate:$t, usdExchangeAmount:870}')")
  [[ $(jq -r .businessMessageIdentifier <<<"$r") == "$BMI" && $CONSENT != null ]] \
    || { echo "remitter: $u $c $r" >&2; return 1; }
}

obp_call() { # METHOD PATH [JSON]
  curl -sS --max-time 30 -X "$1" -H "$AUTH_HEADER" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$BASE/obp/v4.0.0$2"
}
# The super admin (FINHUB_OBP_SUPER_ADMIN_USERNAMES) logged in by DirectLogin,
# holding every role (the list OBP-10007 names), at KB (004) or system-wide;
# a customer with an attribute, an address, a tax residence, a link to the
# admin, a meeting and a definition.
prepare_obp() {
  local key u uid token roles role r c cid attr def addr tax meeting link v
  key=$(admin POST /sandbox/clients '{"profile":"obp","name":"fuzz","redirect_uris":["https://fuzz.example/cb"],"scopes":["customer","kyc"]}' | jq -r .client_id)
  u=$(curl -sS --max-time 30 -X POST -H 'Content-Type: application/json' "$BASE/obp/v4.0.0/users" \
    -d '{"email":"fuzz@example.com","username":"fuzz-admin","password":"Fuzz!Passw0rd","first_name":"F","last_name":"A"}')
  uid=$(jq -r .user_id <<<"$u")
  token=$(curl -sS --max-time 30 -X POST "$BASE/my/logins/direct" \
    -H "DirectLogin: username=fuzz-admin, password=Fuzz!Passw0rd, consumer_key=$key" | jq -r .token)
  [[ $uid != null && $token != null ]] || { echo "obp user: $u" >&2; return 1; }
  AUTH_HEADER="DirectLogin: token=$token"
  roles=$(obp_call POST "/users/$uid/entitlements" '{"bank_id":"","role_name":"NoSuchRole"}' \
    | jq -r .message | sed 's/.*Possible roles are //' | tr -d ' ' | tr ',' '\n')
  for role in $roles; do
    r=$(obp_call POST "/users/$uid/entitlements" "{\"bank_id\":\"004\",\"role_name\":\"$role\"}")
    if grep -q OBP-30206 <<<"$r"; then
      obp_call POST "/users/$uid/entitlements" "{\"bank_id\":\"\",\"role_name\":\"$role\"}" >/dev/null
    fi
  done
  c=$(obp_call POST /banks/004/customers '{"legal_name":"Fuzz Customer","mobile_phone_number":"+44 07972 444 876","email":"c@example.com","face_image":{"url":"x","date":"2020-01-01T00:00:00Z"},"date_of_birth":"1990-01-01T00:00:00Z","relationship_status":"single","dependants":0,"dob_of_dependants":[],"credit_rating":{"rating":"A","source":"B"},"credit_limit":{"currency":"KRW","amount":"1000"},"highest_education_attained":"","employment_status":"","kyc_status":false,"last_ok_date":"2020-01-01T00:00:00Z","title":"","branch_id":"","name_suffix":""}')
  cid=$(jq -r .customer_id <<<"$c")
  [[ $cid != null ]] || { echo "obp customer: $c" >&2; return 1; }
  attr=$(obp_call POST "/banks/004/customers/$cid/attribute" '{"name":"TIER","type":"STRING","value":"gold"}' | jq -r .customer_attribute_id)
  def=$(obp_call PUT /banks/004/attribute-definitions/customer '{"name":"TIER","category":"Customer","type":"STRING","description":"d","alias":"a","can_be_seen_on_views":["bank"],"is_active":true}' | jq -r .attribute_definition_id)
  addr=$(obp_call POST "/banks/004/customers/$cid/address" '{"line_1":"1","line_2":"","line_3":"","city":"Seoul","county":"","state":"","postcode":"04500","country_code":"KR","tags":["home"],"status":"OK"}' | jq -r .customer_address_id)
  tax=$(obp_call POST "/banks/004/customers/$cid/tax-residence" '{"domain":"KR","tax_number":"123"}' | jq -r .tax_residence_id)
  meeting=$(obp_call POST /banks/004/meetings '{"provider_id":"p","purpose_id":"onboarding","date":"2020-01-01T00:00:00Z","creator":{"name":"n","mobile_phone":"1","email_address":"e@example.com"},"invitees":[]}' | jq -r .meeting_id)
  link=$(obp_call POST /banks/004/user_customer_links "{\"user_id\":\"$uid\",\"customer_id\":\"$cid\"}" | jq -r .user_customer_link_id)
  for v in attr def addr tax meeting link; do
    [[ ${!v} != null && -n ${!v} ]] || { echo "obp fixture $v missing" >&2; return 1; }
  done
  cat >"$TMP/params.toml" <<EOF
[[project]]
title = "finhub obp"
[project.parameters]
"path.bank_id" = "004"
"path.customer_id" = "$cid"
"path.user_id" = "$uid"
"path.customer_attribute_id" = "$attr"
"path.attribute_definition_id" = "$def"
"path.customer_address_id" = "$addr"
"path.tax_residence_id" = "$tax"
"path.meeting_id" = "$meeting"
"path.user_customer_link_id" = "$link"
"path.request_id" = "r1"
"path.account_id" = "fuzz-account-1"
"path.kyc_check_id" = "kc1"
"path.kyc_document_id" = "kd1"
"path.kyc_media_id" = "km1"
EOF
}

# Konaplate: a project through the sandbox; schemathesis talks to a signing
# proxy (konaplate_signer.py) that adds each request's X-KM headers and
# Tran-Token over the bytes it forwards, so the real transport is fuzzed too.
SIGNER=""
prepare_konaplate() {
  local p port
  p=$(admin POST /sandbox/konaplate/projects '{"name":"fuzz"}')
  [[ $(jq -r .asp_id <<<"$p") != null ]] || { echo "project: $p" >&2; return 1; }
  port=$(free_port)
  python3 tests/fuzz/konaplate_signer.py "$port" "$BASE" "$(jq -r .asp_id <<<"$p")" \
    "$(jq -r .access_key <<<"$p")" "$(jq -r .secret_key <<<"$p")" &
  SIGNER=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/openapi" && break; sleep 0.1; done
  BASE=http://127.0.0.1:$port
  TOKEN=unused
  printf '[[project]]\ntitle = "finhub konaplate"\n' >"$TMP/params.toml"
}

# The faces with a document, as the server lists them (its face list).
if [[ -z ${FACES:-} ]]; then
  start index
  FACES=$(curl -sS --max-time 30 "$BASE/openapi" | jq -r '.faces[] | "\(.name):\(.url)"' | tr '\n' ' ')
  stop
  [[ -n ${FACES// /} ]] || { echo "no faces listed at /openapi" >&2; exit 1; }
fi

# One schemathesis pass over DOC (ARGS: more options, e.g. a path filter).
fuzz() { # NAME DOC [ARGS...]
  local name=$1 doc=$2 started
  shift 2
  started=$(date +%s)
  # From $TMP: schemathesis keeps a crash cache in its working directory.
  # One worker: with two threads, Python 3.11's ast module (which hypothesis
  # calls to describe its strategies) now and then raises "AST constructor
  # recursion depth mismatch" (CPython gh-106905), failing the run for nothing.
  if ! (cd "$TMP" && "$VENV/bin/schemathesis" --config-file "$TMP/params.toml" run "$BASE$doc" \
      --url "$BASE" \
      -H "${AUTH_HEADER:-Authorization: Bearer $TOKEN}" \
      --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
      --max-examples "$EXAMPLES" --seed "$SEED" --generation-database none \
      --workers 1 --request-timeout 20 --no-color --suppress-health-check all \
      --phases examples,coverage,fuzzing "$@"); then
    failed=1
    echo "schemathesis found failures on $name; server log tail:" >&2
    tail -n 20 "$TMP/serve-${face%%:*}.log" >&2
  fi
  echo "schemathesis $name: $(( $(date +%s) - started )) s" >&2
}

failed=0
for face in $FACES; do
  name=${face%%:*}; doc=${face#*:}
  if ! declare -F "prepare_$name" >/dev/null; then
    echo "no prepare_$name in $0: write one (client, token, ids) for the new face" >&2
    failed=1
    continue
  fi
  say "schemathesis: $name ($doc), $EXAMPLES examples per operation"
  start "$name"
  unset AUTH_HEADER
  "prepare_$name"
  if [[ $name == oris ]]; then
    # A4 ends the session of the token every other call carries: it goes last.
    fuzz "$name" "$doc" --include-path-regex "^/api/oris/" --exclude-path-regex "/auth/logout$"
    fuzz "$name" "$doc" --include-path-regex "^/api/oris/v1/auth/logout$"
  else
    fuzz "$name" "$doc"
  fi
  if [[ $name == mydata ]]; then
    for ind in $MYDATA_INDUSTRIES; do
      say "schemathesis: mydata $ind"
      prepare_mydata_industry "$ind" || { failed=1; continue; }
      fuzz "mydata $ind" "$doc" --include-path-regex "^/v1/$ind/"
    done
  fi
  stop
done
exit $failed
