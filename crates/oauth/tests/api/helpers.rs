use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use base64::Engine;
use finhub_core::account::AccountKind;
use finhub_core::clock::Clock;
use finhub_core::institution::default_institutions;
use finhub_core::money::Currency;
use finhub_core::party::{NewPerson, Person};
use finhub_core::repo::InstitutionRepo;
use finhub_core::world::{OpenAccount, World};
use finhub_oauth::{pkce, router, Client, NewClient, OAuth, OAuthConfig, Profile, Profiles};
use finhub_store::testing::TestStore;
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use tower::ServiceExt;

pub const REDIRECT: &str = "https://app.example/callback";
pub const PHONE: &str = "010-1234-5678";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

pub struct App {
    pub ts: TestStore,
    pub world: World,
    pub oauth: OAuth,
    pub clock: Clock,
    pub profiles: Profiles,
    pub router: Router,
    pub person: Person,
    pub account_ids: Vec<String>,
}

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
    pub fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }
    pub fn location(&self) -> Option<String> {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
    }
    /// The query of the Location header, as a map.
    pub fn redirect_query(&self) -> HashMap<String, String> {
        let loc = self.location().expect("a redirect");
        let q = loc.split_once('?').map(|x| x.1).unwrap_or("");
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .unwrap()
            .into_iter()
            .collect()
    }
}

pub async fn spawn_app() -> App {
    spawn_with(Profiles::default()).await
}

pub async fn spawn_with(profiles: Profiles) -> App {
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
        router,
        person,
        account_ids,
    }
}

pub fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

pub fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"))
    )
}

/// The value of the first `name="<name>" value="..."` in a page.
pub fn field_values(page: &str, name: &str) -> Vec<String> {
    let needle = format!("name=\"{name}\" value=\"");
    page.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &page[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

impl App {
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str) -> Resp {
        self.send(Request::get(uri).body(Body::empty()).unwrap())
            .await
    }

    pub async fn post_raw(&self, uri: &str, auth: Option<&str>, body: impl Into<Body>) -> Resp {
        let mut b =
            Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(a) = auth {
            b = b.header(header::AUTHORIZATION, a);
        }
        self.send(b.body(body.into()).unwrap()).await
    }

    pub async fn post(&self, uri: &str, pairs: &[(&str, &str)]) -> Resp {
        self.post_raw(uri, None, form(pairs)).await
    }

    /// POST /oauth/2.0/token with the client's credentials in the form.
    pub async fn token(&self, c: &(Client, String), pairs: &[(&str, &str)]) -> Resp {
        let mut all = vec![
            ("client_id", c.0.client_id.as_str()),
            ("client_secret", c.1.as_str()),
        ];
        all.extend_from_slice(pairs);
        self.post("/oauth/2.0/token", &all).await
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
        format!("/oauth/2.0/authorize?{}", form(&pairs))
    }

    /// Authorize, log in and allow `accounts` (indexes into account_ids);
    /// returns the consent's redirect.
    pub async fn consent_redirect(
        &self,
        client_id: &str,
        extra: &[(&str, &str)],
        accounts: &[usize],
    ) -> Resp {
        let page = self.get(&self.authorize_uri(client_id, extra)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let rid = field_values(&page.body, "request_id").remove(0);
        let consent = self
            .post(
                "/oauth/2.0/authorize/login",
                &[
                    ("request_id", &rid),
                    ("login", PHONE),
                    ("password", "finhub"),
                ],
            )
            .await;
        assert_eq!(consent.status, StatusCode::OK, "{}", consent.body);
        let mut pairs = vec![("request_id", rid.as_str()), ("decision", "allow")];
        for i in accounts {
            pairs.push(("account_id", self.account_ids[*i].as_str()));
        }
        let r = self.post("/oauth/2.0/authorize/consent", &pairs).await;
        assert_eq!(r.status, StatusCode::FOUND, "{}", r.body);
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
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
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
