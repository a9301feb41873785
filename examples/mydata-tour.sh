#!/usr/bin/env bash
# A MyData operator's first sync against a running `finhub serve`: register an
# operator client, find a seeded person's bank assets, consent headlessly
# (POST /sandbox/authorize, what the person does on the bank's consent page),
# exchange the code (개별인증-002), then 공통-001, 공통-002, 은행-001..004,
# a second sync with search_timestamp (00001), refresh (개별인증-003) and
# revoke (개별인증-004). Needs curl and jq.
# Usage: FINHUB_ADMIN_KEY=... examples/mydata-tour.sh [base-url]
set -euo pipefail
B=${1:-http://127.0.0.1:8080}
H="Authorization: Bearer ${FINHUB_ADMIN_KEY:?set FINHUB_ADMIN_KEY to the admin key}"; J="Content-Type: application/json"
RED=https://operator.example/callback
C=$(curl -s -H "$H" -H "$J" $B/sandbox/clients -d "{\"profile\":\"mydata\",\"name\":\"my operator\",\"redirect_uris\":[\"$RED\"],\"scopes\":[\"bank.list\",\"bank.deposit\"]}")
CID=$(echo "$C" | jq -r .client_id); SEC=$(echo "$C" | jq -r .client_secret); OP=$(echo "$C" | jq -r .org_code)
echo "operator org_code $OP, client_id $CID"
TID="${OP}M$(date +%Y%m%d%H%M%S)"   # org code + M + 14 characters
# The first seeded person with a deposit account, and that bank's org code.
for PID in $(curl -s -H "$H" "$B/sandbox/people?limit=20" | jq -r '.people[].person_id'); do
  ASSET=$(curl -s -H "$H" "$B/sandbox/people/$PID/assets" | jq -c '[.assets[] | select(.scope=="bank.deposit")][0]')
  [[ $ASSET != null ]] && break
done
ORG=$(echo "$ASSET" | jq -r .org_code); ACC=$(echo "$ASSET" | jq -r .asset)
echo "person $PID holds $ACC at $ORG"
R=$(curl -s -H "$H" -H "$J" $B/sandbox/authorize -d "{\"client_id\":\"$CID\",\"person_id\":\"$PID\",\"org_code\":\"$ORG\",\"scope\":\"bank.list bank.deposit\",\"redirect_uri\":\"$RED\",\"state\":\"tour\"}")
CODE=$(echo "$R" | jq -r .redirect | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
T=$(curl -s -H "x-api-tran-id: $TID" $B/oauth/2.0/token -d org_code=$ORG -d grant_type=authorization_code \
  --data-urlencode code=$CODE -d client_id=$CID -d client_secret=$SEC --data-urlencode redirect_uri=$RED)
echo "$T" | jq -c '{token_type, expires_in, refresh_token_expires_in, scope}'
A="Authorization: Bearer $(echo "$T" | jq -r .access_token)"; X="x-api-tran-id: $TID"
# search_timestamp has one-second grain and counts a change in its own second
# as news: start the sync a second after the consent, so the second sync is 00001.
sleep 1
curl -s -H "$X" "$B/v1/bank/apis?org_code=$ORG&client_id=$CID" | jq -c '{rsp_code, api_cnt}'
curl -s -H "$A" -H "$X" "$B/v1/bank/consents?org_code=$ORG" | jq -c .
L=$(curl -s -H "$A" -H "$X" -H "x-api-type: user-consent" "$B/v1/bank/accounts?org_code=$ORG&search_timestamp=0&limit=500")
echo "$L" | jq -c '{rsp_code, search_timestamp, account_cnt, first: .account_list[0]}'
for p in basic detail; do
  curl -s -H "$A" -H "$X" -H "$J" $B/v1/bank/accounts/deposit/$p -d "{\"org_code\":\"$ORG\",\"account_num\":\"$ACC\",\"search_timestamp\":0}" | jq -c .
done
FROM=$(TZ=Asia/Seoul date -d '-30 days' +%Y%m%d); TO=$(TZ=Asia/Seoul date +%Y%m%d)
curl -s -H "$A" -H "$X" -H "$J" $B/v1/bank/accounts/deposit/transactions \
  -d "{\"org_code\":\"$ORG\",\"account_num\":\"$ACC\",\"from_date\":\"$FROM\",\"to_date\":\"$TO\",\"limit\":5}" | jq -c '{rsp_code, trans_cnt, next_page, first: .trans_list[0]}'
TS=$(echo "$L" | jq -r .search_timestamp)
curl -s -H "$A" -H "$X" "$B/v1/bank/accounts?org_code=$ORG&search_timestamp=$TS&limit=500" | jq -c .
R=$(curl -s -H "$X" $B/oauth/2.0/token -d org_code=$ORG -d grant_type=refresh_token \
  --data-urlencode refresh_token=$(echo "$T" | jq -r .refresh_token) -d client_id=$CID -d client_secret=$SEC)
echo "$R" | jq -c '{token_type, expires_in, refresh_token_expires_in, scope}'
A="Authorization: Bearer $(echo "$R" | jq -r .access_token)"
curl -s -H "$X" $B/oauth/2.0/revoke -d org_code=$ORG --data-urlencode token=$(echo "$R" | jq -r .access_token) -d client_id=$CID -d client_secret=$SEC; echo
curl -s -H "$A" -H "$X" "$B/v1/bank/accounts?org_code=$ORG&limit=500" | jq -c .
