//! The sandbox's certificate authority (통합인증기관) for integrated auth
//! (통합인증-002): it signs a person's consent form and the provider checks
//! the signature. The "signature" is an HMAC-SHA256 under a key kept in the
//! settings table, so every node signs and verifies alike; it stands where
//! the standard has CMS SignedData, and like it binds the transaction, the
//! provider, the operator's client, the person's CI and the consent.

use super::industry_scopes;
use super::terms::Terms;
use crate::assets::{asset_id, industry};
use crate::scopes::{self, assets_at};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, FixedOffset};
use finhub_core::account::Account;
use finhub_core::institution::Institution;
use finhub_core::oauth::{Client, Profile};
use finhub_core::world::World;
use finhub_core::CoreError;
use finhub_oauth::{requested_scopes, OAuth};
use hmac::{Hmac, Mac};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The sandbox CA's organisation code (`ca_code`).
pub const CA_CODE: &str = "CAFINHUB01";
/// Where every node finds the CA's key.
const KEY_SETTING: &str = "mydata_sandbox_ca_key";
/// `tx_id` made by an operator (the portal's own start with `RO`).
const TX_PREFIX: &str = "MD";

/// The CA's key: made once, then the one every node reads.
pub async fn key(oauth: &OAuth) -> Result<Vec<u8>, CoreError> {
    let mut raw = [0u8; 32];
    rand::thread_rng().fill(&mut raw);
    let held = oauth
        .repo
        .shared_secret(KEY_SETTING, &hex::encode(raw))
        .await?;
    hex::decode(held).map_err(|_| CoreError::Internal("the sandbox CA's key is not hex".into()))
}

/// What the CA signs.
pub struct Signed<'a> {
    pub tx_id: &'a str,
    pub org_code: &'a str,
    pub client_id: &'a str,
    pub ci: &'a str,
    pub request_type: &'a str,
    pub consent: &'a str,
}

impl Signed<'_> {
    fn text(&self) -> String {
        let digest = hex::encode(Sha256::digest(self.consent.as_bytes()));
        format!(
            "finhub-sandbox-ca/1\n{}\n{}\n{}\n{}\n{}\n{digest}",
            self.tx_id, self.org_code, self.client_id, self.ci, self.request_type
        )
    }

    fn mac(&self, key: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key");
        mac.update(self.text().as_bytes());
        mac
    }

    /// The signature, URL-safe base64.
    pub fn sign(&self, key: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(key).finalize().into_bytes())
    }

    /// Whether `password` is the CA's signature of this (in constant time).
    pub fn verify(&self, key: &[u8], password: &str) -> bool {
        match URL_SAFE_NO_PAD.decode(password) {
            Ok(sig) => self.mac(key).verify_slice(&sig).is_ok(),
            Err(_) => false,
        }
    }
}

/// A `tx_id` (mydata.md §5.5): `MD`, the operator, the CA, the provider and
/// the operator again (no relay), the time, a 12-digit serial; 74 characters.
pub fn tx_id(operator: &str, provider: &str, now: DateTime<FixedOffset>) -> String {
    let serial: u64 = rand::thread_rng().gen_range(0..1_000_000_000_000);
    let at = now.format("%Y%m%d%H%M%S");
    format!("{TX_PREFIX}_{operator}_{CA_CODE}_{provider}_{operator}_{at}_{serial:012}")
}

/// Whether `t` has the `tx_id` layout: a 2-character prefix, four org codes,
/// a time and a 12-digit serial, joined by `_`.
pub fn valid_tx_id(t: &str) -> bool {
    let parts: Vec<&str> = t.split('_').collect();
    let alnum = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    t.len() == 74
        && parts.len() == 7
        && alnum(parts[0], 2)
        && parts[1..5].iter().all(|p| alnum(p, 10))
        && digits(parts[5], 14)
        && digits(parts[6], 12)
}

/// The consent object (mydata.md §6.1) the person signs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedConsent {
    pub snd_org_code: String,
    pub rcv_org_code: String,
    pub is_scheduled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fnd_cycle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_cycle: Option<String>,
    pub end_date: String,
    pub purpose: String,
    pub period: String,
    pub target_info: Vec<Target>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Target {
    pub scope: String,
    pub asset_list: Vec<TargetAsset>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TargetAsset {
    pub asset: String,
}

impl SignedConsent {
    /// The terms it states, as a consent page's answers.
    pub fn answers(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("purpose".into(), self.purpose.clone().into());
        m.insert("end_date".into(), self.end_date.clone().into());
        m.insert("is_scheduled".into(), self.is_scheduled.into());
        for (k, v) in [
            ("fnd_cycle", &self.fnd_cycle),
            ("add_cycle", &self.add_cycle),
        ] {
            if let Some(c) = v {
                m.insert(k.into(), c.clone().into());
            }
        }
        m
    }

    /// Every scope it names, and every asset, each once.
    pub fn scopes_and_assets(&self) -> (Vec<String>, Vec<String>) {
        let mut scopes: Vec<String> = Vec::new();
        let mut assets: Vec<String> = Vec::new();
        for t in &self.target_info {
            if !scopes.contains(&t.scope) {
                scopes.push(t.scope.clone());
            }
            for a in &t.asset_list {
                if !assets.contains(&a.asset) {
                    assets.push(a.asset.clone());
                }
            }
        }
        (scopes, assets)
    }
}

/// What a signed form is asked for (`POST /sandbox/integrated-auth`).
pub struct FormAsk<'a> {
    pub client_id: &'a str,
    pub person_id: &'a str,
    pub org_code: &'a str,
    pub scope: &'a str,
    pub assets: Option<&'a [String]>,
    pub request_type: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum FormError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Failed(CoreError),
}

impl From<CoreError> for FormError {
    fn from(e: CoreError) -> Self {
        FormError::Failed(e)
    }
}

/// The chosen assets among `held`, by asset id; every one must be there.
pub fn chosen<'a>(held: &'a [Account], assets: &[String]) -> Result<Vec<&'a Account>, String> {
    assets
        .iter()
        .map(|want| {
            held.iter()
                .find(|a| asset_id(a) == *want)
                .ok_or_else(|| format!("asset {want} is not the person's here under these scopes"))
        })
        .collect()
}

/// The scopes of a form: the client's, of the institution's industry, the
/// list scope included; an asset-list consent (`request_type` 0) names
/// list scopes only.
pub fn form_scopes(
    client: &Client,
    inst: &Institution,
    scope: &str,
    list_only: bool,
) -> Result<Vec<String>, String> {
    let asked = requested_scopes(Some(scope), &client.scopes).map_err(|e| e.description())?;
    let scopes = industry_scopes(industry(inst.kind), &asked, true).map_err(|e| e.description())?;
    if list_only && scopes.iter().any(|s| !scopes::is_list(s)) {
        return Err("an asset-list consent (request_type 0) names list scopes only".into());
    }
    Ok(scopes)
}

/// The consent the person signs: the default terms, and per scope the
/// chosen assets it opens.
fn consent_of(
    client: &Client,
    inst: &Institution,
    scopes: &[String],
    assets: &[&Account],
    t: &Terms,
) -> SignedConsent {
    let ind = industry(inst.kind);
    let target_info = scopes
        .iter()
        .map(|s| Target {
            scope: s.clone(),
            asset_list: assets
                .iter()
                .filter(|a| scopes::opens(s, ind, a.kind))
                .map(|a| TargetAsset { asset: asset_id(a) })
                .collect(),
        })
        .collect();
    SignedConsent {
        snd_org_code: inst.org_code.clone(),
        rcv_org_code: client.org_code.clone(),
        is_scheduled: t.is_scheduled,
        fnd_cycle: t.fnd_cycle.clone(),
        add_cycle: t.add_cycle.clone(),
        end_date: t.end_date.format("%Y%m%d").to_string(),
        purpose: t.purpose.clone(),
        period: t.hold_until.format("%Y%m%d").to_string(),
        target_info,
    }
}

/// The client and institution a form names.
async fn parties(
    world: &World,
    oauth: &OAuth,
    ask: &FormAsk<'_>,
) -> Result<(Client, finhub_core::party::Person, Institution), FormError> {
    let client = match oauth.repo.client(ask.client_id).await? {
        Some(c) if !c.disabled => c,
        _ => return Err(FormError::NotFound(format!("no client {}", ask.client_id))),
    };
    if client.profile != Profile::Mydata {
        return Err(FormError::Invalid(
            "integrated auth is for mydata clients".into(),
        ));
    }
    let Some(person) = world.repo.person(ask.person_id).await? else {
        return Err(FormError::NotFound(format!("no person {}", ask.person_id)));
    };
    let Some(inst) = world.repo.institution(ask.org_code).await? else {
        return Err(FormError::Invalid(format!(
            "org_code {} is not known",
            ask.org_code
        )));
    };
    Ok((client, person, inst))
}

/// Every field of the 통합인증-002 form but `client_secret`, signed by the CA.
pub async fn form(
    world: &World,
    oauth: &OAuth,
    ask: FormAsk<'_>,
) -> Result<Map<String, Value>, FormError> {
    let (client, person, inst) = parties(world, oauth, &ask).await?;
    let request_type = ask.request_type.unwrap_or("1");
    if !matches!(request_type, "0" | "1") {
        return Err(FormError::Invalid("request_type must be 0 or 1".into()));
    }
    let list_only = request_type == "0";
    let scopes = form_scopes(&client, &inst, ask.scope, list_only).map_err(FormError::Invalid)?;
    let held = assets_at(world, &person.person_id, &inst, &scopes).await?;
    let picked: Vec<&Account> = match ask.assets {
        Some(a) => chosen(&held, a).map_err(FormError::Invalid)?,
        None => held.iter().collect(),
    };
    let now = world.clock.now_kst();
    let mut given = Map::new();
    given.insert("request_type".into(), request_type.into());
    let terms =
        Terms::parse(&given, now.date_naive()).map_err(|e| FormError::Invalid(e.description()))?;
    let consent = consent_of(&client, &inst, &scopes, &picked, &terms);
    let consent =
        serde_json::to_string(&consent).map_err(|e| CoreError::Internal(e.to_string()))?;
    let tx_id = tx_id(&client.org_code, &inst.org_code, now);
    let signed = Signed {
        tx_id: &tx_id,
        org_code: &inst.org_code,
        client_id: &client.client_id,
        ci: &person.ci,
        request_type,
        consent: &consent,
    };
    let password = signed.sign(&key(oauth).await?);
    let cert_tx_id = format!("{:040}", rand::thread_rng().gen_range(0..u64::MAX));
    let fields = [
        ("tx_id", tx_id.clone()),
        ("org_code", inst.org_code.clone()),
        ("grant_type", "password".into()),
        ("client_id", client.client_id.clone()),
        ("ca_code", CA_CODE.into()),
        ("username", person.ci.clone()),
        ("request_type", request_type.into()),
        ("auth_type", "1".into()),
        ("consent_type", "1".into()),
        ("password_len", password.len().to_string()),
        ("password", password),
        ("consent_len", consent.chars().count().to_string()),
        ("consent", consent),
        ("cert_tx_id", cert_tx_id),
    ];
    Ok(fields
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tx_ids_have_the_layout_and_signatures_bind_every_part() {
        let now = chrono::Utc::now().with_timezone(&finhub_core::clock::kst());
        let t = tx_id("OPERATOR01", "BA00000004", now);
        assert!(valid_tx_id(&t), "{t}");
        assert!(!valid_tx_id(&t.replace("MD_", "M_")) && !valid_tx_id(&t[1..]));
        let s = Signed {
            tx_id: &t,
            org_code: "BA00000004",
            client_id: "c",
            ci: "ci",
            request_type: "1",
            consent: "{}",
        };
        let key = b"0123456789abcdef0123456789abcdef";
        let sig = s.sign(key);
        assert!(s.verify(key, &sig));
        assert!(!s.verify(b"another key, another key, another", &sig));
        let mut bad = sig.clone();
        bad.replace_range(0..1, if bad.starts_with('A') { "B" } else { "A" });
        assert!(!s.verify(key, &bad));
        assert!(!s.verify(key, "not base64!"));
        let other = Signed {
            consent: "{ }",
            ..s
        };
        assert!(!other.verify(key, &sig));
    }
}
