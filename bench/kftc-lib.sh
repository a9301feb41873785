# KFTC client steps for the bench scripts (sourced): sandbox admin calls, a
# client and its token, people with registered accounts, withdrawal bodies.
# Uses the caller's BASE (the node to talk to), ADMIN, TMP, and sets
# CID SECRET ORG CNTR (client), TOK (token), TRAN (a block of bank_tran_ids).
admin() { # METHOD PATH [JSON]
  curl -sS --max-time 30 -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    ${3:+-d "$3"} "$BASE$2"
}
dtime() { TZ=Asia/Seoul date +%Y%m%d%H%M%S; }
today() { TZ=Asia/Seoul date +%Y%m%d; }
# bank_tran_id tails: single calls count in a file (they run in subshells);
# each load series takes its own block of 10,000,000 above 100,000,000 (bank_tran_id
# has exactly 9 digits after the U, so at most 89 blocks per run).
echo 0 >"$TMP/tran"
tran() { local n; n=$(($(cat "$TMP/tran") + 1)); echo "$n" >"$TMP/tran"; printf '%sU%09d\n' "$ORG" "$n"; }
BLOCK=0
next_block() { BLOCK=$((BLOCK + 1)); TRAN=$((100000000 + BLOCK * 10000000)); }

client() { # sets CID SECRET ORG CNTR
  local c
  c=$(admin POST /sandbox/clients '{"profile":"kftc","name":"bench","redirect_uris":[],"scopes":["oob","sa"]}')
  CID=$(jq -r .client_id <<<"$c"); SECRET=$(jq -r .client_secret <<<"$c")
  ORG=$(jq -r .org_code <<<"$c"); CNTR=$(jq -r .cntr_account_num <<<"$c")
  [[ $CID != null && $ORG != null ]] || { echo "client: $c" >&2; return 1; }
}
token() { # sets TOK
  local t
  t=$(curl -sS --max-time 30 -X POST "$BASE/oauth/2.0/token" \
    --data-urlencode "client_id=$CID" --data-urlencode "client_secret=$SECRET" \
    -d scope=sa -d grant_type=client_credentials)
  TOK=$(jq -r .access_token <<<"$t")
  [[ $TOK != null ]] || { echo "token: $t" >&2; return 1; }
}
kpost() { curl -sS --max-time 30 -X POST -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d "$2" "$BASE$1"; }
register() { # PERSON_JSON ACCOUNT_JSON -> prints fintech_use_num
  local p=$1 a=$2 fin="" scope r
  for scope in inquiry transfer; do
    r=$(kpost /v2.0/user/register "$(jq -nc --arg t "$(tran)" --arg d "$(dtime)" --argjson p "$p" --argjson a "$a" --arg s "$scope" '{
      bank_tran_id:$t, bank_code_std:$a.bank_code_std, register_account_num:$a.account_num,
      user_info:($p.birth_date|gsub("-";"")), user_name:$p.name, user_ci:$p.ci,
      user_email:"user@example.com", scope:$s, info_prvd_agmt_yn:"Y", wd_agmt_yn:"Y",
      agmt_data_type:"1", tran_dtime:$d}')")
    [[ $(jq -r .rsp_code <<<"$r") == A0000 ]] || { echo "register: $r" >&2; return 1; }
    fin=$(jq -r .fintech_use_num <<<"$r")
  done
  echo "$fin"
}
new_account() { # BALANCE -> prints "PERSON_JSON\tACCOUNT_JSON"
  local p a
  p=$(admin POST /sandbox/people '{"name":"벤치","birth_date":"1990-01-01"}')
  a=$(admin POST "/sandbox/people/$(jq -r .person_id <<<"$p")/accounts" \
    "{\"bank_code_std\":\"004\",\"kind\":\"demand\",\"balance\":$1}")
  [[ $(jq -r .account_id <<<"$a") != null ]] || { echo "account: $p $a" >&2; return 1; }
  printf '%s\t%s\n' "$(jq -c . <<<"$p")" "$(jq -c . <<<"$a")"
}
# A withdraw/fin_num body of 1 KRW from FIN; `{n}` is the load generator's
# unique number (a fresh bank_tran_id per request).
withdraw_body() { # FIN
  jq -nc --arg o "$ORG" --arg c "$CNTR" --arg f "$1" --arg d "$(dtime)" '{
        bank_tran_id:($o+"U{n}"), cntr_account_type:"N", cntr_account_num:$c,
        dps_print_content:"쇼핑몰환불", fintech_use_num:$f, wd_print_content:"오픈뱅킹출금",
        tran_amt:"1", tran_dtime:$d, req_client_name:"홍길동", req_client_fintech_use_num:$f,
        req_client_num:"HONGGILDONG1234", transfer_purpose:"TR", recv_client_name:"쇼핑몰",
        recv_client_bank_code:"097", recv_client_account_num:"232000067812"}'
}
