//! The checks after a kill: the store's rows read directly (before the
//! restart), then the restarted server's answers.

use crate::client::{json_body, must_json};
use crate::load::{self, Answer, Intent, Kind, Model};
use crate::server::{Server, ADMIN_KEY};
use crate::Setup;
use finhub_core::clock::Clock;
use finhub_core::ledger::EntryKind;
use finhub_core::repo::{AccountRepo, LedgerRepo};
use finhub_store::{Store, StoreOptions};
use finhub_testkit::kftc;
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// The testbed bank that holds every client's contract account.
const CONTRACT_BANK_ORG: &str = "BA00000097";

/// What the store held after a kill: key -> scope, for applied transfers
/// and for recorded refusals.
#[derive(Debug, Default)]
pub struct StoreView {
    pub applied: HashMap<String, String>,
    pub refused: HashMap<String, String>,
}

impl StoreView {
    fn scope_date(&self, id: &str) -> Option<&str> {
        self.applied
            .get(id)
            .or_else(|| self.refused.get(id))
            .and_then(|s| s.rsplit(':').next())
    }
}

/// Open the database the server left behind (this recovers SQLite's WAL, as
/// the server's next start would).
pub async fn open(url: &str) -> Store {
    let opts = StoreOptions {
        max_connections: 2,
        ..Default::default()
    };
    Store::open(url, opts, Clock::system())
        .await
        .unwrap_or_else(|e| panic!("open the store after the kill: {e}"))
}

pub async fn store(url: &str, s: &Setup, model: &Model) -> Result<StoreView, Vec<String>> {
    let st = open(url).await;
    let r = store_checks(&st, s, model).await;
    st.db().close().await;
    r
}

fn err(what: &str) -> impl Fn(finhub_core::CoreError) -> Vec<String> + '_ {
    move |e| vec![format!("{what}: {e}")]
}

async fn store_checks(st: &Store, s: &Setup, model: &Model) -> Result<StoreView, Vec<String>> {
    let prefix = format!("kftc:{}:", s.org);
    let entries = st.inspect_entries(&prefix).await.map_err(err("entries"))?;
    let outcomes = st
        .inspect_outcomes(&prefix)
        .await
        .map_err(err("outcomes"))?;
    let cntr = st
        .account_by_number(CONTRACT_BANK_ORG, &s.cntr_num)
        .await
        .map_err(err("contract account"))?
        .ok_or_else(|| vec!["the contract account is gone".to_string()])?;
    let mut p = Vec::new();
    let mut view = StoreView::default();

    // 1. Every entry is one the test asked for, once, with the asked amount.
    let mut by_key: HashMap<&str, Vec<&finhub_store::inspect::EntryView>> = HashMap::new();
    for e in &entries {
        by_key.entry(e.key.as_str()).or_default().push(e);
    }
    for (key, es) in &by_key {
        let Some(it) = model.intents.get(*key) else {
            p.push(format!(
                "entry {} under {key}: a bank_tran_id the test never sent",
                es[0].entry_id
            ));
            continue;
        };
        if es.len() != 1 {
            let ids: Vec<i64> = es.iter().map(|e| e.entry_id).collect();
            p.push(format!(
                "{key}: applied {} times (entries {ids:?})",
                es.len()
            ));
        }
        let e = es[0];
        let mut want = vec![
            (s.holders[it.holder].account_id.clone(), it.signed()),
            (cntr.account_id.clone(), -it.signed()),
        ];
        want.sort();
        let mut got = e.postings.clone();
        got.sort();
        if got != want {
            p.push(format!(
                "{key}: entry {} posts {got:?}, asked {want:?}",
                e.entry_id
            ));
        }
        let kind = match it.kind {
            Kind::Withdraw => EntryKind::Withdrawal,
            Kind::Deposit => EntryKind::Deposit,
        };
        if e.kind != kind.as_str() {
            p.push(format!("{key}: entry kind {} for a {:?}", e.kind, it.kind));
        }
        view.applied.insert((*key).to_owned(), e.scope.clone());
    }

    // The idempotency rows agree with the entries.
    let mut recorded: HashSet<&str> = HashSet::new();
    for (o, entry_col) in &outcomes {
        recorded.insert(o.key.as_str());
        match &o.result {
            Ok(a) => {
                let found = by_key.get(o.key.as_str()).is_some_and(|es| {
                    es.iter()
                        .any(|e| e.entry_id == a.entry_id && e.scope == o.scope)
                });
                if !found {
                    p.push(format!(
                        "{}: outcome says applied as entry {}, which is not in the journal",
                        o.key, a.entry_id
                    ));
                }
                if *entry_col != Some(a.entry_id) {
                    p.push(format!(
                        "{}: idempotency row points at {entry_col:?}, outcome at {}",
                        o.key, a.entry_id
                    ));
                }
            }
            Err(r) => {
                if by_key.contains_key(o.key.as_str()) {
                    p.push(format!(
                        "{}: recorded as refused ({r:?}) yet in the journal",
                        o.key
                    ));
                }
                view.refused.insert(o.key.clone(), o.scope.clone());
            }
        }
    }
    for key in by_key.keys() {
        if !recorded.contains(key) {
            p.push(format!("{key}: in the journal without an idempotency row"));
        }
    }

    // 2. Every answer the clients got agrees with the ledger.
    for it in model.intents.values() {
        let applied = by_key.contains_key(it.id.as_str());
        if it.acks() > 1 {
            p.push(format!("{}: acknowledged {} times", it.id, it.acks()));
        }
        if it.acks() >= 1 && !applied {
            p.push(format!(
                "{}: acknowledged (A0000) but not in the ledger: LOST ({:?} {}, round {})",
                it.id, it.kind, it.amount, it.round
            ));
        }
        for a in &it.attempts {
            match a {
                Answer::Refused(code) if applied => {
                    p.push(format!("{}: refused ({code}) yet applied", it.id))
                }
                Answer::Dup if !recorded.contains(it.id.as_str()) => {
                    p.push(format!("{}: answered A0326 yet nothing is recorded", it.id))
                }
                _ => {}
            }
        }
    }

    // 3. The ledger is whole.
    for a in st.audit().await.map_err(err("audit"))? {
        p.push(format!("audit: {a}"));
    }
    for (cur, total) in st.balance_totals().await.map_err(err("totals"))? {
        if total != 0 {
            p.push(format!("all {cur} balances sum to {total}, not 0"));
        }
    }
    let mut want_counters: HashMap<(String, String), i64> = HashMap::new();
    for (key, scope) in &view.applied {
        let it = &model.intents[key];
        let date = scope.rsplit(':').next().unwrap_or("").to_owned();
        let month = date.get(..6).unwrap_or("").to_owned();
        let org = &s.org;
        let names = match it.kind {
            Kind::Withdraw => vec![
                (
                    format!("kftc:wd:user:{org}:{}", s.holders[it.holder].person_id),
                    date.clone(),
                ),
                (format!("kftc:wd:org:{org}"), date),
                (format!("kftc:wd:org:{org}"), month),
            ],
            Kind::Deposit => vec![
                (format!("kftc:dps:org:{org}"), date),
                (format!("kftc:dps:org:{org}"), month),
            ],
        };
        for k in names {
            *want_counters.entry(k).or_default() += it.amount;
        }
    }
    let got_counters: HashMap<(String, String), i64> = st
        .inspect_limit_counters()
        .await
        .map_err(err("counters"))?
        .into_iter()
        .filter(|(c, _, _)| c.contains(&format!(":{}", s.org)))
        .map(|(c, per, t)| ((c, per), t))
        .collect();
    if got_counters != want_counters {
        let mut keys: Vec<_> = got_counters.keys().chain(want_counters.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let (g, w) = (got_counters.get(k), want_counters.get(k));
            if g != w {
                p.push(format!(
                    "limit counter {k:?}: stored {g:?}, applied transfers make {w:?}"
                ));
            }
        }
    }

    // 4. Each balance is its opening plus the applied amounts.
    let mut moved = vec![0i64; s.holders.len()];
    for key in view.applied.keys() {
        let it = &model.intents[key];
        moved[it.holder] += it.signed();
    }
    for (i, h) in s.holders.iter().enumerate() {
        let acc = st.account(&h.account_id).await.map_err(err("account"))?;
        let got = acc.map(|a| a.balance_minor);
        let want = h.opening + moved[i];
        if got != Some(want) {
            p.push(format!(
                "holder {i}: balance {got:?}, opening {} + applied {} = {want}",
                h.opening, moved[i]
            ));
        }
    }
    let want = finhub_kftc::CONTRACT_OPENING_KRW - moved.iter().sum::<i64>();
    if cntr.balance_minor != want {
        p.push(format!(
            "contract account: balance {}, expected {want}",
            cntr.balance_minor
        ));
    }
    if p.is_empty() {
        Ok(view)
    } else {
        Err(p)
    }
}

/// How the requests whose answer the kill lost turned out.
#[derive(Debug, Default, Clone, Copy)]
pub struct Resolved {
    /// Applied before the kill (the commit won, the answer was lost).
    pub applied: u64,
    /// Recorded as refused before the kill.
    pub refused: u64,
    /// Not recorded: the retry after restart applied or refused it.
    pub absent: u64,
}

impl Resolved {
    pub fn add(&mut self, o: Resolved) {
        self.applied += o.applied;
        self.refused += o.refused;
        self.absent += o.absent;
    }
}

/// The restarted server: nothing re-seeded, transfer/result agrees with the
/// store, lost answers retried once, balances as the ledger says.
pub async fn api(
    server: &Server,
    s: &Setup,
    model: &mut Model,
    view: &StoreView,
    round: usize,
) -> Result<Resolved, Vec<String>> {
    let a = server.addr.as_str();
    let mut p = Vec::new();
    if server.banner.contains("demo world:") || server.banner.contains("client_secret:") {
        p.push(format!(
            "restart on a non-empty database seeded or registered again:\n{}",
            server.banner
        ));
    }
    let people = must_json(a, "GET", "/sandbox/people?limit=1", Some(ADMIN_KEY), None).await;
    if people["total"].as_u64() != Some(s.people_total) {
        p.push(format!(
            "people after restart: {} (was {})",
            people["total"], s.people_total
        ));
    }
    let clients = must_json(a, "GET", "/sandbox/clients", Some(ADMIN_KEY), None).await;
    let n = clients["clients"].as_array().map(Vec::len);
    if n != Some(s.clients_total) {
        p.push(format!(
            "clients after restart: {n:?} (was {})",
            s.clients_total
        ));
    }

    // transfer/result for every id of the round agrees with the store.
    let today = kftc::today();
    let this_round: Vec<Intent> = model
        .order
        .iter()
        .map(|id| &model.intents[id])
        .filter(|it| it.round == round)
        .cloned()
        .collect();
    let want = |it: &Intent| -> &'static str {
        if view.applied.contains_key(&it.id) {
            "A0000"
        } else if view.refused.contains_key(&it.id) {
            "refused"
        } else {
            "A0310"
        }
    };
    let answers = results(a, s, &this_round, view, &today).await;
    for it in &this_round {
        let got = answers.get(&it.id).map(String::as_str).unwrap_or("none");
        let ok = match want(it) {
            "refused" => !matches!(got, "A0000" | "A0310" | "none"),
            w => got == w,
        };
        if !ok {
            p.push(format!(
                "transfer/result {}: org_rsp_code {got}, store says {}",
                it.id,
                want(it)
            ));
        }
    }

    // Retry every id whose answer was lost, and a few acknowledged ones.
    let mut retry: Vec<Intent> = this_round
        .iter()
        .filter(|it| !it.attempts.iter().any(Answer::is_definite))
        .cloned()
        .collect();
    retry.extend(
        this_round
            .iter()
            .filter(|it| it.acks() == 1)
            .take(5)
            .cloned(),
    );
    let mut newly = HashSet::new();
    let mut resolved = Resolved::default();
    for it in &retry {
        if it.acks() == 0 {
            if view.applied.contains_key(&it.id) {
                resolved.applied += 1;
            } else if view.refused.contains_key(&it.id) {
                resolved.refused += 1;
            } else {
                resolved.absent += 1;
            }
        }
        let recorded = view.scope_date(&it.id);
        if recorded.is_some_and(|d| d != today) {
            continue; // a new business day: the id would be a new transfer
        }
        let ans = load::send(a, s, it).await;
        let ok = match (recorded.is_some(), &ans) {
            (true, Answer::Dup) => true,
            (false, Answer::Ack) => {
                newly.insert(it.id.clone());
                true
            }
            (false, Answer::Refused(_)) => true,
            _ => false,
        };
        if !ok {
            p.push(format!(
                "retry of {} after restart answered {ans:?}; store had it {}",
                it.id,
                if view.applied.contains_key(&it.id) {
                    "applied"
                } else if recorded.is_some() {
                    "refused"
                } else {
                    "absent"
                }
            ));
        }
        model.intents.get_mut(&it.id).unwrap().attempts.push(ans);
    }
    let again: Vec<Intent> = newly.iter().map(|id| model.intents[id].clone()).collect();
    let answers = results(a, s, &again, view, &today).await;
    for it in &again {
        if answers.get(&it.id).map(String::as_str) != Some("A0000") {
            p.push(format!(
                "{}: retried with A0000 but transfer/result says {:?}",
                it.id,
                answers.get(&it.id)
            ));
        }
    }

    // Balances through the API.
    let mut moved = vec![0i64; s.holders.len()];
    for id in view.applied.keys().chain(newly.iter()) {
        let it = &model.intents[id];
        moved[it.holder] += it.signed();
    }
    for (i, h) in s.holders.iter().enumerate() {
        let path = format!(
            "/v2.0/account/balance/fin_num?bank_tran_id={}U{:09}&fintech_use_num={}&tran_dtime={}",
            s.org,
            800_000_000 + i,
            h.fin,
            kftc::dtime()
        );
        let b = must_json(a, "GET", &path, Some(&s.token), None).await;
        let want = (h.opening + moved[i]).to_string();
        if b["balance_amt"].as_str() != Some(want.as_str()) {
            p.push(format!(
                "holder {i}: API balance {}, expected {want} ({b})",
                b["balance_amt"]
            ));
        }
    }
    if p.is_empty() {
        Ok(resolved)
    } else {
        Err(p)
    }
}

/// transfer/result's org_rsp_code per id (25 ids per request, one check_type
/// and date per request).
async fn results(
    a: &str,
    s: &Setup,
    intents: &[Intent],
    view: &StoreView,
    today: &str,
) -> HashMap<String, String> {
    let mut groups: HashMap<(&'static str, String), Vec<&Intent>> = HashMap::new();
    for it in intents {
        let check = match it.kind {
            Kind::Withdraw => "1",
            Kind::Deposit => "2",
        };
        let date = view.scope_date(&it.id).unwrap_or(today).to_owned();
        groups.entry((check, date)).or_default().push(it);
    }
    let mut out = HashMap::new();
    for ((check, date), its) in groups {
        for chunk in its.chunks(25) {
            let list: Vec<_> = chunk
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    json!({"tran_no": (i + 1).to_string(), "org_bank_tran_id": it.id,
                           "org_bank_tran_date": date, "org_tran_amt": it.amount.to_string()})
                })
                .collect();
            let body = json!({"check_type": check, "tran_dtime": kftc::dtime(),
                              "req_cnt": list.len().to_string(), "req_list": list});
            let r = must_json(
                a,
                "POST",
                "/v2.0/transfer/result",
                Some(&s.token),
                json_body(&body),
            )
            .await;
            let lines = r["res_list"].as_array().cloned().unwrap_or_default();
            assert_eq!(lines.len(), chunk.len(), "transfer/result: {r}");
            for l in lines {
                out.insert(
                    l["bank_tran_id"].as_str().unwrap_or("").to_owned(),
                    l["org_rsp_code"].as_str().unwrap_or("").to_owned(),
                );
            }
        }
    }
    out
}
