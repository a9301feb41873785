//! Product terms through the bulk loader: written in the batch's one
//! transaction with the accounts they describe, or not at all.
//! Runs on PostgreSQL when FINHUB_TEST_DATABASE_URL is set.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use finhub_core::account::{AccountKind, NewAccount};
use finhub_core::institution::default_institutions;
use finhub_core::ledger::{EntryKind, Leg};
use finhub_core::money::Currency;
use finhub_core::party::Person;
use finhub_core::product::{
    CardTerms, CardType, DepositTerms, PointBalance, ProductRecord, ProductRepo, ProductTerms,
    SavingMethod,
};
use finhub_core::repo::{InstitutionRepo, PartyRepo};
use finhub_core::CoreError;
use finhub_store::testing::TestStore;
use finhub_store::{settlement_account_id, BulkBatch, BulkEntry};
use finhub_testkit::ledger::assert_whole;

fn at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 123_000).unwrap()
}

fn person(k: usize) -> Person {
    Person {
        person_id: format!("p-terms-{k}"),
        ci: finhub_core::ids::ci_from_seed(format!("p-terms-{k}").as_bytes()),
        name: "한지우".into(),
        birth_date: NaiveDate::from_ymd_opt(1985, 3, 3).unwrap(),
        gender: None,
        phone: None,
        email: None,
    }
}

fn account(id: &str, org: &str, kind: AccountKind, floor: i64, opening: i64) -> NewAccount {
    NewAccount {
        account_id: id.into(),
        org_code: org.into(),
        account_num: id.replace("a-", "N"),
        kind,
        product_name: "상품".into(),
        currency: Currency::KRW,
        person_id: Some("p-terms-0".into()),
        holder_name: "한지우".into(),
        opened_at: at() - Duration::days(30),
        maturity_date: None,
        floor_minor: floor,
        opening_balance_minor: opening,
    }
}

fn deposit(id: &str) -> ProductRecord {
    ProductRecord {
        account_id: id.into(),
        terms: ProductTerms::Deposit(DepositTerms {
            saving_method: SavingMethod::Demand,
            rate_milli: 100,
            commit_minor: None,
            monthly_minor: None,
            overdraft: false,
        }),
        updated_at: at(),
    }
}

fn card(id: &str) -> ProductRecord {
    ProductRecord {
        account_id: id.into(),
        terms: ProductTerms::Card(CardTerms {
            masked_num: "4518-12**-****-3456".into(),
            card_type: CardType::Credit,
            family: false,
            brand: "VISA".into(),
            annual_fee_minor: 10_000,
            issue_date: NaiveDate::from_ymd_opt(2024, 1, 2).unwrap(),
            settle_account_id: Some("a-demand".into()),
            transit: true,
            cash_card: false,
            pay_day: 14,
            points: vec![PointBalance {
                name: "마이신한포인트".into(),
                remain: 1_200,
                expiring: 0,
            }],
            revolving: None,
        }),
        updated_at: at() - Duration::days(1),
    }
}

/// A card purchase of `amount` won: the card owes it, the card company's
/// settlement account paid the shop.
fn purchase(amount: i64) -> BulkEntry {
    let leg = |account_id: String, amount_minor| Leg {
        account_id,
        amount_minor,
        currency: Currency::KRW,
        memo: "일시불".into(),
        counterparty: "GS25 역삼점".into(),
    };
    BulkEntry {
        scope: "t".into(),
        key: format!("buy-{amount}"),
        at: at(),
        kind: EntryKind::Card,
        legs: vec![
            leg("a-card".into(), -amount),
            leg(settlement_account_id("CD00000001", Currency::KRW), amount),
        ],
    }
}

fn batch(entries: Vec<BulkEntry>, terms: Vec<ProductRecord>) -> BulkBatch {
    BulkBatch {
        people: vec![person(0)],
        accounts: vec![
            account("a-demand", "BA00000004", AccountKind::Demand, 0, 50_000),
            account("a-card", "CD00000001", AccountKind::Card, -1_000_000, 0),
        ],
        entries,
        terms,
    }
}

async fn store() -> TestStore {
    let ts = TestStore::new().await;
    for inst in default_institutions() {
        ts.store.upsert_institution(&inst).await.unwrap();
    }
    ts
}

#[tokio::test]
async fn terms_load_with_their_accounts() {
    let ts = store().await;
    let terms = vec![deposit("a-demand"), card("a-card")];
    let b = batch(vec![purchase(30_000)], terms.clone());
    ts.store.bulk_load(b).await.unwrap();
    let ids = vec![
        "a-demand".to_owned(),
        "a-card".to_owned(),
        "nobody".to_owned(),
    ];
    let mut back = ts.store.terms_of(&ids).await.unwrap();
    back.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    assert_eq!(back, vec![card("a-card"), deposit("a-demand")]);
    assert_eq!(
        ts.store.terms("a-card").await.unwrap(),
        Some(card("a-card"))
    );
    assert_whole(&ts.store.clone().into_world()).await;
}

#[tokio::test]
async fn bad_terms_or_a_bad_entry_write_nothing() {
    let ts = store().await;
    let stray = batch(vec![], vec![deposit("a-demand"), deposit("elsewhere")]);
    assert!(matches!(
        ts.store.bulk_load(stray).await,
        Err(CoreError::Invalid(_))
    ));
    let twice = batch(vec![], vec![deposit("a-demand"), deposit("a-demand")]);
    assert!(matches!(
        ts.store.bulk_load(twice).await,
        Err(CoreError::Conflict(_))
    ));
    // Over the card's limit: the entry fails, and the terms go with it.
    let over = batch(vec![purchase(1_000_001)], vec![card("a-card")]);
    assert!(ts.store.bulk_load(over).await.is_err());
    assert!(ts.store.person("p-terms-0").await.unwrap().is_none());
    assert_eq!(ts.store.terms("a-card").await.unwrap(), None);
    // Terms for an account stored by an earlier batch are refused too.
    ts.store.bulk_load(batch(vec![], vec![])).await.unwrap();
    let later = BulkBatch {
        terms: vec![deposit("a-demand")],
        ..Default::default()
    };
    assert!(matches!(
        ts.store.bulk_load(later).await,
        Err(CoreError::Invalid(_))
    ));
    assert_eq!(ts.store.terms("a-demand").await.unwrap(), None);
}

#[tokio::test]
async fn many_terms_span_several_statements() {
    let ts = store().await;
    // More rows than one multi-row INSERT carries (5,000).
    let n = 5_200;
    let accounts: Vec<NewAccount> = (0..n)
        .map(|k| {
            account(
                &format!("a-many-{k}"),
                "BA00000004",
                AccountKind::Demand,
                0,
                0,
            )
        })
        .collect();
    let terms: Vec<ProductRecord> = (0..n).map(|k| deposit(&format!("a-many-{k}"))).collect();
    let s = ts
        .store
        .bulk_load(BulkBatch {
            people: vec![person(0)],
            accounts,
            entries: vec![],
            terms,
        })
        .await
        .unwrap();
    assert_eq!(s.accounts, n as u64);
    let ids: Vec<String> = (0..n).map(|k| format!("a-many-{k}")).collect();
    assert_eq!(ts.store.terms_of(&ids).await.unwrap().len(), n);
}
