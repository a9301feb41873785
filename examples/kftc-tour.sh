#!/usr/bin/env bash
# A KFTC Open Banking tour against a running `finhub serve`: create a client,
# take a 2-legged sa token, register a seeded account, read its balance,
# withdraw, repeat the bank_tran_id (A0326), list transactions, check the
# transfer result and the withdrawal limits. Needs curl and jq.
# Usage: FINHUB_ADMIN_KEY=... examples/kftc-tour.sh [base-url]
set -euo pipefail
B=${1:-http://127.0.0.1:8080}
H="Authorization: Bearer ${FINHUB_ADMIN_KEY:?set FINHUB_ADMIN_KEY to the admin key}"; J="Content-Type: application/json"
C=$(curl -s -H "$H" -H "$J" $B/sandbox/clients -d '{"profile":"kftc","name":"my app","redirect_uris":["http://localhost:3000/cb"],"scopes":["oob","sa","login","inquiry","transfer"]}')
echo "$C" | head -c 400; echo
CID=$(echo "$C" | jq -r .client_id); SEC=$(echo "$C" | jq -r .client_secret); CODE=$(echo "$C" | jq -r .org_code); CNTR=$(echo "$C" | jq -r .cntr_account_num)
TOKEN=$(curl -s $B/oauth/2.0/token -d grant_type=client_credentials -d client_id=$CID -d client_secret=$SEC -d scope=sa | jq -r .access_token)
A="Authorization: Bearer $TOKEN"
P=$(curl -s -H "$H" "$B/sandbox/people?limit=1")
NAME=$(echo "$P" | jq -r '.people[0].name'); CI=$(echo "$P" | jq -r '.people[0].ci'); BIRTH=$(echo "$P" | jq -r '.people[0].birth_date' | tr -d -)
BANK=$(echo "$P" | jq -r '.people[0].accounts[0].bank_code_std'); NUM=$(echo "$P" | jq -r '.people[0].accounts[0].account_num')
NOW=$(TZ=Asia/Seoul date +%Y%m%d%H%M%S); TODAY=${NOW:0:8}
tid() { echo "${CODE}U$(printf '%09d' $((RANDOM*RANDOM % 1000000000)))"; }
for s in inquiry transfer; do
R=$(curl -s -H "$A" -H "$J" $B/v2.0/user/register -d "{\"bank_tran_id\":\"$(tid)\",\"bank_code_std\":\"$BANK\",\"register_account_num\":\"$NUM\",\"user_info\":\"$BIRTH\",\"user_name\":\"$NAME\",\"user_ci\":\"$CI\",\"scope\":\"$s\",\"info_prvd_agmt_yn\":\"Y\",\"wd_agmt_yn\":\"Y\",\"agmt_data_type\":\"1\",\"tran_dtime\":\"$NOW\"}")
echo "$R"; done
FIN=$(echo "$R" | jq -r .fintech_use_num); USER=$(echo "$R" | jq -r .user_seq_no)
curl -s -H "$A" "$B/v2.0/account/balance/fin_num?bank_tran_id=$(tid)&fintech_use_num=$FIN&tran_dtime=$NOW"; echo
TID=$(tid)
W="{\"bank_tran_id\":\"$TID\",\"cntr_account_type\":\"N\",\"cntr_account_num\":\"$CNTR\",\"dps_print_content\":\"쇼핑몰\",\"fintech_use_num\":\"$FIN\",\"wd_print_content\":\"오픈뱅킹출금\",\"tran_amt\":\"10000\",\"tran_dtime\":\"$NOW\",\"req_client_name\":\"$NAME\",\"req_client_fintech_use_num\":\"$FIN\",\"req_client_num\":\"MEMBER0001\",\"transfer_purpose\":\"TR\",\"recv_client_name\":\"쇼핑몰\",\"recv_client_bank_code\":\"097\",\"recv_client_account_num\":\"$CNTR\"}"
curl -s -H "$A" -H "$J" $B/v2.0/transfer/withdraw/fin_num -d "$W"; echo
curl -s -H "$A" -H "$J" $B/v2.0/transfer/withdraw/fin_num -d "$W" | jq -c '{rsp_code,rsp_message}'
curl -s -H "$A" "$B/v2.0/account/transaction_list/fin_num?bank_tran_id=$(tid)&fintech_use_num=$FIN&inquiry_type=A&inquiry_base=D&from_date=$TODAY&to_date=$TODAY&sort_order=D&tran_dtime=$NOW" | head -c 600; echo
curl -s -H "$A" -H "$J" $B/v2.0/transfer/result -d "{\"check_type\":\"1\",\"tran_dtime\":\"$NOW\",\"req_cnt\":\"1\",\"req_list\":[{\"tran_no\":\"1\",\"org_bank_tran_id\":\"$TID\",\"org_bank_tran_date\":\"$TODAY\",\"org_tran_amt\":\"10000\"}]}" | head -c 400; echo
curl -s -H "$A" "$B/v2.0/manage/wd_limit" | head -c 300; echo
