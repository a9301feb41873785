//! The built-in OAuth rules of each standard: what the hooks of
//! `ProfileAdapter` answer unless a face's adapter says otherwise, and the
//! adapter of a profile whose face is not registered.

use super::{OAuthError, ProfileAdapter};
use crate::OAuthConfig;
use finhub_core::oauth::Profile;
use serde_json::{Map, Value};

/// One standard's authorize and token rules.
pub(super) struct Rules {
    pub requires_scope: bool,
    pub requires_state: bool,
    pub extra_params: &'static [&'static str],
    pub check_extra: fn(&Map<String, Value>) -> Result<(), OAuthError>,
    pub access_ttl_secs: fn(&OAuthConfig) -> i64,
    pub refresh_ttl_secs: fn(&OAuthConfig) -> i64,
    pub requires_pkce: bool,
    /// What a client registered without scopes gets.
    pub standard_scopes: &'static [&'static str],
    /// Kept parameters echoed on the redirects to the app.
    pub echoed: &'static [&'static str],
}

/// KFTC Open Banking v2.0 (§3.1 사용자인증): scope and state required, its
/// display options kept, 90-day tokens, no PKCE.
const KFTC: Rules = Rules {
    requires_scope: true,
    requires_state: true,
    extra_params: &[
        "client_info",
        "auth_type",
        "lang",
        "edit_option",
        "bg_color",
        "txt_color",
        "btn1_color",
        "btn2_color",
    ],
    check_extra: kftc_auth_type,
    access_ttl_secs: long_lived,
    refresh_ttl_secs: usual_refresh,
    requires_pkce: false,
    standard_scopes: &["login", "inquiry", "transfer", "oob", "sa"],
    echoed: &["client_info"],
};

/// Financial MyData: the provider's org_code and the app_scheme kept, no
/// PKCE, access tokens of at most 90 days and refresh tokens of a year (§5.6).
const MYDATA: Rules = Rules {
    requires_scope: false,
    requires_state: false,
    extra_params: &["client_info", "org_code", "app_scheme"],
    check_extra: no_check,
    access_ttl_secs: mydata_access,
    refresh_ttl_secs: mydata_refresh,
    requires_pkce: false,
    standard_scopes: &[
        "bank.list",
        "bank.deposit",
        "card.list",
        "card.card",
        "invest.list",
        "insu.list",
    ],
    echoed: &["client_info", "api_tran_id"],
};

/// Plain RFC 6749 with PKCE required (RFC 9700 §2.1.1): Konaplate, ORIS, OBP,
/// each with its own standard scopes.
const fn plain(standard_scopes: &'static [&'static str]) -> Rules {
    Rules {
        requires_scope: false,
        requires_state: false,
        extra_params: &["client_info"],
        check_extra: no_check,
        access_ttl_secs: short_lived,
        refresh_ttl_secs: usual_refresh,
        requires_pkce: true,
        standard_scopes,
        echoed: &["client_info"],
    }
}
const KONAPLATE: Rules = plain(&["prepaid", "membership"]);
const ORIS: Rules = plain(&["inquiry", "report"]);
const OBP: Rules = plain(&["customer", "kyc"]);

pub(super) fn rules(p: Profile) -> &'static Rules {
    match p {
        Profile::Kftc => &KFTC,
        Profile::Mydata => &MYDATA,
        Profile::Konaplate => &KONAPLATE,
        Profile::Oris => &ORIS,
        Profile::Obp => &OBP,
    }
}

fn no_check(_: &Map<String, Value>) -> Result<(), OAuthError> {
    Ok(())
}

/// `auth_type` is one of KFTC's three values.
fn kftc_auth_type(extra: &Map<String, Value>) -> Result<(), OAuthError> {
    match extra.get("auth_type").and_then(Value::as_str) {
        Some(t) if !matches!(t, "0" | "1" | "2") => Err(OAuthError::InvalidRequest(
            "auth_type must be 0, 1 or 2".into(),
        )),
        _ => Ok(()),
    }
}

fn long_lived(cfg: &OAuthConfig) -> i64 {
    cfg.kftc_access_ttl_secs
}

fn short_lived(cfg: &OAuthConfig) -> i64 {
    cfg.access_ttl_secs
}

fn mydata_access(cfg: &OAuthConfig) -> i64 {
    cfg.mydata_access_ttl_secs
}

fn usual_refresh(cfg: &OAuthConfig) -> i64 {
    cfg.refresh_ttl_secs
}

fn mydata_refresh(cfg: &OAuthConfig) -> i64 {
    cfg.mydata_refresh_ttl_secs
}

/// The adapter of a profile whose face registered none: every hook its default.
pub(super) struct BuiltIn(Profile);

impl ProfileAdapter for BuiltIn {
    fn profile(&self) -> Profile {
        self.0
    }
}

pub(super) fn built_in(p: Profile) -> &'static BuiltIn {
    static KFTC_IN: BuiltIn = BuiltIn(Profile::Kftc);
    static MYDATA_IN: BuiltIn = BuiltIn(Profile::Mydata);
    static KONAPLATE_IN: BuiltIn = BuiltIn(Profile::Konaplate);
    static ORIS_IN: BuiltIn = BuiltIn(Profile::Oris);
    static OBP_IN: BuiltIn = BuiltIn(Profile::Obp);
    match p {
        Profile::Kftc => &KFTC_IN,
        Profile::Mydata => &MYDATA_IN,
        Profile::Konaplate => &KONAPLATE_IN,
        Profile::Oris => &ORIS_IN,
        Profile::Obp => &OBP_IN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_profile_has_a_built_in_adapter() {
        for p in Profile::ALL {
            assert_eq!(built_in(p).profile(), p);
        }
    }

    #[test]
    fn kftc_checks_auth_type() {
        let mut extra = Map::new();
        assert!(kftc_auth_type(&extra).is_ok());
        extra.insert("auth_type".into(), Value::String("2".into()));
        assert!(kftc_auth_type(&extra).is_ok());
        extra.insert("auth_type".into(), Value::String("9".into()));
        assert!(kftc_auth_type(&extra).is_err());
    }
}
