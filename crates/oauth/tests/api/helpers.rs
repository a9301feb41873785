use axum::http::StatusCode;
use finhub_core::account::AccountKind;
use finhub_core::clock::Clock;
use finhub_core::institution::default_institutions;
use finhub_core::money::Currency;
use finhub_core::party::{NewPerson, Person};
use finhub_core::repo::InstitutionRepo;
use finhub_core::world::{OpenAccount, World};
use finhub_oauth::{pkce, router, Client, NewClient, OAuth, OAuthConfig, Profile, Profiles};
use finhub_store::testing::TestStore;
pub use finhub_testkit::http::{basic, field_values, form_body};
pub use finhub_testkit::{Http, Resp, REDIRECT};
use serde_json::Value;
use std::sync::Arc;

pub const PHONE: &str = "010-1234-5678";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

pub struct App {
    pub ts: TestStore,
    pub world: World,
    pub oauth: OAuth,
    pub clock: Clock,
    pub profiles: Profiles,
    /// The OAuth router alone, driven in process (App derefs to it).
    pub http: Http,
    pub person: Person,
    pub account_ids: Vec<String>,
}

pub async fn spawn_oauth() -> App {
    spawn_oauth_with(Profiles::default()).await
}

pub async fn spawn_oauth_with(profiles: Profiles) -> App {
    let clock = Clock::system();
    let ts = TestStore::with_clock(clock.clone()).await;
    for i in default_institutions() {
        ts.store.upsert_institution(&i).await.unwrap();
    }
    let world = ts.store.clone().into_world();
    let oauth = OAuth::new(
        Arc::new(ts.store.clone()),
        b"test-signing-key-test-signing-key!!",
        clock.clone(),
        OAuthConfig::default(),
    )
    .await
    .unwrap();
    let person = world
        .create_person(NewPerson {
            name: "김하나".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1990, 3, 4),
            phone: Some(PHONE.into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let mut account_ids = Vec::new();
    for (org, product) in [("BA00000004", "KB 자유입출금"), ("BA00000088", "신한 저축")] {
        let a = world
            .open_account(OpenAccount {
                org_code: org.into(),
                person_id: person.person_id.clone(),
                kind: AccountKind::Demand,
                product_name: Some(product.into()),
                currency: Currency::KRW,
                opening_balance_minor: 10_000,
                floor_minor: 0,
                account_num: None,
            })
            .await
            .unwrap();
        account_ids.push(a.account_id);
    }
    let router = router(oauth.clone(), world.clone(), profiles.clone());
    App {
        ts,
        world,
        oauth,
        clock,
        profiles,
        http: Http::new(router),
        person,
        account_ids,
    }
}

impl std::ops::Deref for App {
    type Target = Http;
    fn deref(&self) -> &Http {
        &self.http
    }
}

impl App {
    /// POST /oauth/2.0/token with the client's credentials in the form.
    pub async fn token(&self, c: &(Client, String), pairs: &[(&str, &str)]) -> Resp {
        let mut all = vec![
            ("client_id", c.0.client_id.as_str()),
            ("client_secret", c.1.as_str()),
        ];
        all.extend_from_slice(pairs);
        self.post_form("/oauth/2.0/token", &all).await
    }

    pub async fn client(
        &self,
        profile: Profile,
        redirect: bool,
        scopes: &[&str],
    ) -> (Client, String) {
        self.oauth
            .create_client(
                NewClient {
                    profile,
                    name: "테스트 앱".into(),
                    redirect_uris: if redirect {
                        vec![REDIRECT.into()]
                    } else {
                        vec![]
                    },
                    scopes: scopes.iter().map(|s| s.to_string()).collect(),
                    org_code: None,
                },
                &self.profiles,
            )
            .await
            .unwrap()
    }

    pub fn authorize_uri(&self, client_id: &str, extra: &[(&str, &str)]) -> String {
        let challenge = pkce::s256(VERIFIER);
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", REDIRECT),
            ("scope", "accounts"),
            ("state", "st-123"),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        for (k, v) in extra {
            pairs.retain(|(pk, _)| pk != k);
            if !v.is_empty() {
                pairs.push((k, v));
            }
        }
        format!("/oauth/2.0/authorize?{}", form_body(&pairs))
    }

    /// Open `authorize` and log in as the seeded person; returns the
    /// request id and the consent page.
    pub async fn login(&self, authorize: &str) -> (String, Resp) {
        let page = self.get(authorize).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let rid = field_values(&page.text, "request_id").remove(0);
        let consent = self
            .post_form(
                "/oauth/2.0/authorize/login",
                &[
                    ("request_id", &rid),
                    ("login", PHONE),
                    ("password", "finhub"),
                ],
            )
            .await;
        assert_eq!(consent.status, StatusCode::OK, "{}", consent.text);
        (rid, consent)
    }

    /// Authorize, log in and allow `accounts` (indexes into account_ids);
    /// returns the consent's redirect.
    pub async fn consent_redirect(
        &self,
        client_id: &str,
        extra: &[(&str, &str)],
        accounts: &[usize],
    ) -> Resp {
        let (rid, _) = self.login(&self.authorize_uri(client_id, extra)).await;
        let mut pairs = vec![("request_id", rid.as_str()), ("decision", "allow")];
        for i in accounts {
            pairs.push(("account_id", self.account_ids[*i].as_str()));
        }
        let r = self.post_form("/oauth/2.0/authorize/consent", &pairs).await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.text);
        r
    }

    /// A code for `client_id` through the pages.
    pub async fn code(&self, client_id: &str, extra: &[(&str, &str)]) -> String {
        self.consent_redirect(client_id, extra, &[0])
            .await
            .redirect_query()["code"]
            .clone()
    }

    /// Tokens through the whole code flow, PKCE included.
    pub async fn user_tokens(&self, c: &(Client, String)) -> Value {
        let code = self.code(&c.0.client_id, &[]).await;
        let r = self
            .token(
                c,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT),
                    ("code_verifier", VERIFIER),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        r.json()
    }

    pub async fn refresh(&self, c: &(Client, String), rt: &str) -> Resp {
        self.token(c, &[("grant_type", "refresh_token"), ("refresh_token", rt)])
            .await
    }
}

pub fn s(v: &Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} missing in {v}"))
        .to_owned()
}
