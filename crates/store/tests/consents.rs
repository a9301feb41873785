//! Transmission requests (전송요구) in the store: what is written reads back
//! whole, a revocation is seen at once by the next read (the in-memory copy
//! is dropped with it), and an integrated-auth tx_id is accepted once. Runs
//! on PostgreSQL when FINHUB_TEST_DATABASE_URL is set.

use chrono::{NaiveDate, Utc};
use finhub_core::consent::{Consent, ConsentRepo};
use finhub_core::oauth::{Client, OAuthRepo, Profile};
use finhub_core::CoreError;
use finhub_testkit::ledger;

fn consent(id: &str, person_id: &str, account_id: &str, tx_id: Option<&str>) -> Consent {
    Consent {
        consent_id: id.into(),
        client_id: "op-client".into(),
        receiver_org: "MYD0000001".into(),
        person_id: person_id.into(),
        sender_org: "BA00000004".into(),
        scopes: vec!["bank.list".into(), "bank.deposit".into()],
        account_ids: vec![account_id.into()],
        purpose: "자산관리".into(),
        end_date: NaiveDate::from_ymd_opt(2027, 12, 1).unwrap(),
        hold_until: NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        is_scheduled: true,
        fnd_cycle: Some("1/d".into()),
        add_cycle: Some("1/w".into()),
        memo: false,
        merchant: true,
        tx_id: tx_id.map(str::to_owned),
        created_at: Utc::now(),
        revoked_at: None,
    }
}

#[tokio::test]
async fn a_consent_reads_back_whole_and_its_revocation_is_seen_at_once() {
    let (ts, world, ids) = ledger::kb_accounts(1, 1_000).await;
    let store = &ts.store;
    let person = world
        .repo
        .account(&ids[0])
        .await
        .unwrap()
        .unwrap()
        .person_id
        .unwrap();
    store
        .insert_client(&Client {
            client_id: "op-client".into(),
            secret_hash: "x".into(),
            name: "operator".into(),
            profile: Profile::Mydata,
            org_code: "MYD0000001".into(),
            redirect_uris: vec![],
            scopes: vec!["bank.list".into()],
            created_at: Utc::now(),
            disabled: false,
        })
        .await
        .unwrap();
    let mut c = consent("fam-1", &person, &ids[0], Some("TX-1"));
    c.created_at = finhub_core::clock::from_micros(c.created_at.timestamp_micros());
    store.insert_consent(&c).await.unwrap();
    // Read twice: the second comes from the copy, and both are the record.
    assert_eq!(store.consent("fam-1").await.unwrap(), Some(c.clone()));
    assert_eq!(store.consent("fam-1").await.unwrap(), Some(c.clone()));
    assert_eq!(store.consent("nope").await.unwrap(), None);

    let at = Utc::now();
    assert!(store.revoke_consent("fam-1", at).await.unwrap());
    assert!(
        !store.revoke_consent("fam-1", at).await.unwrap(),
        "revoked once"
    );
    let after = store.consent("fam-1").await.unwrap().unwrap();
    assert!(after.revoked_at.is_some(), "the revocation is read at once");

    let again = consent("fam-2", &person, &ids[0], Some("TX-1"));
    match store.insert_consent(&again).await {
        Err(CoreError::Conflict(_)) => {}
        other => panic!("a tx_id is accepted once: {other:?}"),
    }
    let newer = consent("fam-3", &person, &ids[0], None);
    store.insert_consent(&newer).await.unwrap();
    let all = store.consents_of_person(&person).await.unwrap();
    assert_eq!(all.len(), 2);
}
