//! The grants: client credentials, authorization code (with PKCE), refresh
//! with rotation and reuse detection; and revocation (RFC 7009).

use crate::clients::parse_scope;
use crate::secrets::{random_token, sha256_hex};
use crate::{pkce, AccessClaims, OAuth, OAuthError, Profiles};
use chrono::Duration;
use finhub_core::oauth::{AccessTokenRecord, AuthCode, Client, RefreshToken};
use serde_json::{Map, Value};

/// A successful token response, before the profile adds its fields.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub refresh_token: Option<String>,
    /// Seconds the refresh token lives, with it.
    pub refresh_expires_in: Option<i64>,
    /// Granted scopes, space separated.
    pub scope: String,
    pub claims: AccessClaims,
}

/// What a person granted a client on the consent page.
#[derive(Debug, Clone)]
pub struct Grant {
    pub person_id: String,
    pub scopes: Vec<String>,
    pub account_ids: Vec<String>,
    /// The refresh family of the tokens the grant buys, chosen when the
    /// person consents: what `on_consent` sets up is keyed by it, and every
    /// refresh keeps it.
    pub family_id: String,
    /// The standard's terms of the consent: the authorize request's kept
    /// parameters and the consent page's checked answers (`consent_answers`).
    pub terms: Map<String, Value>,
}

impl Grant {
    /// A grant of a new refresh family.
    pub fn new(person_id: &str, scopes: Vec<String>, account_ids: Vec<String>) -> Grant {
        Grant {
            person_id: person_id.to_owned(),
            scopes,
            account_ids,
            family_id: uuid::Uuid::new_v4().to_string(),
            terms: Map::new(),
        }
    }
}

/// An authorization_code grant request (RFC 6749 §4.1.3).
#[derive(Debug, Clone, Copy)]
pub struct CodeExchange<'a> {
    pub code: &'a str,
    pub redirect_uri: &'a str,
    pub code_verifier: Option<&'a str>,
}

/// The access token to mint: whose, for what, and of which refresh family.
struct Mint<'a> {
    person_id: Option<&'a str>,
    scopes: Vec<String>,
    family: Option<&'a str>,
    /// The refresh token issued with it, and its lifetime.
    refresh_token: Option<(String, i64)>,
}

/// What a refresh token carries from its grant.
struct Holding<'a> {
    person_id: Option<&'a str>,
    scopes: &'a [String],
    account_ids: &'a [String],
}

/// Requested scopes: a subset of `allowed`, or all of `allowed` when absent.
pub fn requested_scopes(
    scope: Option<&str>,
    allowed: &[String],
) -> Result<Vec<String>, OAuthError> {
    let wanted = match scope {
        None => return Ok(allowed.to_vec()),
        Some(s) => {
            parse_scope(s).ok_or_else(|| OAuthError::InvalidScope("scope is malformed".into()))?
        }
    };
    if wanted.is_empty() {
        return Err(OAuthError::InvalidScope("scope is empty".into()));
    }
    if let Some(bad) = wanted.iter().find(|w| !allowed.contains(w)) {
        return Err(OAuthError::InvalidScope(format!(
            "scope {bad:?} is not allowed for this client"
        )));
    }
    Ok(wanted)
}

impl OAuth {
    /// Longest any access token lives: how long a revoked jti must be remembered.
    fn max_access_ttl_secs(&self) -> i64 {
        self.config
            .access_ttl_secs
            .max(self.config.kftc_access_ttl_secs)
            .max(self.config.mydata_access_ttl_secs)
    }

    /// Sign and record an access token.
    async fn mint(
        &self,
        client: &Client,
        m: Mint<'_>,
        profiles: &Profiles,
    ) -> Result<TokenResponse, OAuthError> {
        let adapter = profiles.get_or_default(client.profile);
        let aud = adapter.audience(client, m.person_id).await?;
        let now = self.clock.now();
        // Never past what revocation remembers (revoke_family).
        let ttl = adapter
            .access_ttl_secs(&self.config)
            .min(self.max_access_ttl_secs());
        let claims = AccessClaims {
            iss: self.config.issuer.clone(),
            aud,
            jti: uuid::Uuid::new_v4().to_string(),
            iat: now.timestamp(),
            exp: now.timestamp() + ttl,
            client_id: client.client_id.clone(),
            org_code: client.org_code.clone(),
            profile: client.profile,
            scope: m.scopes.clone(),
            sub: m.person_id.map(str::to_owned),
            fam: m.family.map(str::to_owned),
        };
        self.repo
            .insert_access(&AccessTokenRecord {
                jti: claims.jti.clone(),
                client_id: client.client_id.clone(),
                person_id: claims.sub.clone(),
                family_id: claims.fam.clone(),
                expires_at: now + Duration::seconds(ttl),
                revoked: false,
            })
            .await?;
        Ok(TokenResponse {
            access_token: self.signer.sign(&claims),
            token_type: "Bearer",
            expires_in: ttl,
            refresh_expires_in: m.refresh_token.as_ref().map(|r| r.1),
            refresh_token: m.refresh_token.map(|r| r.0),
            scope: m.scopes.join(" "),
            claims,
        })
    }

    /// A new refresh token of `family`, living as long as the client's
    /// standard says; returns the plain token and its lifetime.
    async fn new_refresh(
        &self,
        client: &Client,
        family: &str,
        h: Holding<'_>,
        profiles: &Profiles,
    ) -> Result<(String, i64), OAuthError> {
        let ttl = profiles
            .get_or_default(client.profile)
            .refresh_ttl_secs(&self.config);
        let token = random_token(32);
        self.repo
            .insert_refresh(&RefreshToken {
                token_hash: sha256_hex(&token),
                family_id: family.to_owned(),
                client_id: client.client_id.clone(),
                person_id: h.person_id.map(str::to_owned),
                scopes: h.scopes.to_vec(),
                account_ids: h.account_ids.to_vec(),
                expires_at: self.clock.now() + Duration::seconds(ttl),
                used: false,
                revoked: false,
            })
            .await?;
        Ok((token, ttl))
    }

    /// Revoke every token of a family, in the database and in memory at once.
    pub async fn revoke_family(&self, family_id: &str) -> Result<(), OAuthError> {
        let jtis = self.repo.revoke_family(family_id).await?;
        let keep_until = self.clock.now().timestamp() + self.max_access_ttl_secs();
        for jti in jtis {
            self.revoked.insert(jti, keep_until);
        }
        Ok(())
    }

    /// The accounts the person picked on the consent page for this token's
    /// grant; empty for 2-legged tokens.
    pub async fn granted_accounts(&self, claims: &AccessClaims) -> Result<Vec<String>, OAuthError> {
        match &claims.fam {
            Some(f) => Ok(self.repo.family_accounts(f).await?),
            None => Ok(Vec::new()),
        }
    }

    /// The client_credentials grant (2-legged): an access token, no refresh token.
    pub async fn issue_client_credentials(
        &self,
        client: &Client,
        scope: Option<&str>,
        profiles: &Profiles,
    ) -> Result<TokenResponse, OAuthError> {
        let scopes = requested_scopes(scope, &client.scopes)?;
        let adapter = profiles.get_or_default(client.profile);
        if let Some(allowed) = adapter.client_credentials_scopes() {
            if let Some(s) = scopes.iter().find(|s| !allowed.contains(&s.as_str())) {
                return Err(OAuthError::InvalidRequest(format!(
                    "scope {s} is not for the client_credentials grant"
                )));
            }
        }
        let m = Mint {
            person_id: None,
            scopes,
            family: None,
            refresh_token: None,
        };
        self.mint(client, m, profiles).await
    }

    /// Issue the tokens of a fresh authorization, of the grant's refresh family.
    pub async fn issue_authorized(
        &self,
        client: &Client,
        grant: &Grant,
        profiles: &Profiles,
    ) -> Result<TokenResponse, OAuthError> {
        let family = match grant.family_id.as_str() {
            // A code issued before codes carried their family.
            "" => uuid::Uuid::new_v4().to_string(),
            f => f.to_owned(),
        };
        let holding = Holding {
            person_id: Some(&grant.person_id),
            scopes: &grant.scopes,
            account_ids: &grant.account_ids,
        };
        let refresh = self.new_refresh(client, &family, holding, profiles).await?;
        let m = Mint {
            person_id: Some(&grant.person_id),
            scopes: grant.scopes.clone(),
            family: Some(&family),
            refresh_token: Some(refresh),
        };
        self.mint(client, m, profiles).await
    }

    /// Record a code for a consented grant; returns the plain code.
    pub async fn issue_code(
        &self,
        client: &Client,
        redirect_uri: &str,
        code_challenge: Option<&str>,
        grant: &Grant,
    ) -> Result<String, OAuthError> {
        let code = random_token(32);
        self.repo
            .insert_code(&AuthCode {
                code_hash: sha256_hex(&code),
                client_id: client.client_id.clone(),
                person_id: grant.person_id.clone(),
                redirect_uri: redirect_uri.to_owned(),
                scopes: grant.scopes.clone(),
                account_ids: grant.account_ids.clone(),
                code_challenge: code_challenge.map(str::to_owned),
                family_id: grant.family_id.clone(),
                expires_at: self.clock.now() + Duration::seconds(self.config.code_ttl_secs),
            })
            .await?;
        Ok(code)
    }

    /// The authorization_code grant. The code is taken (deleted) first, so
    /// it is spent even when a later check fails.
    pub async fn exchange_code(
        &self,
        client: &Client,
        x: CodeExchange<'_>,
        profiles: &Profiles,
    ) -> Result<TokenResponse, OAuthError> {
        let CodeExchange {
            code,
            redirect_uri,
            code_verifier,
        } = x;
        if client.redirect_uris.is_empty() {
            return Err(OAuthError::UnauthorizedClient(
                "this client is not registered for the authorization_code grant".into(),
            ));
        }
        let bad = || OAuthError::InvalidGrant("the code is invalid, expired or used".into());
        if code.is_empty() || code.len() > 200 {
            return Err(bad());
        }
        let c = self
            .repo
            .take_code(&sha256_hex(code))
            .await?
            .ok_or_else(bad)?;
        if c.client_id != client.client_id || c.expires_at <= self.clock.now() {
            return Err(bad());
        }
        if c.redirect_uri != redirect_uri {
            return Err(OAuthError::InvalidGrant(
                "redirect_uri does not match the authorization request".into(),
            ));
        }
        match (&c.code_challenge, code_verifier) {
            (Some(ch), Some(v)) if pkce::verify(ch, v) => {}
            (Some(_), _) => {
                return Err(OAuthError::InvalidGrant(
                    "code_verifier does not match the code_challenge".into(),
                ))
            }
            (None, Some(_)) => {
                return Err(OAuthError::InvalidGrant(
                    "code_verifier given but no code_challenge was sent".into(),
                ))
            }
            (None, None) => {}
        }
        let grant = Grant {
            person_id: c.person_id,
            scopes: c.scopes,
            account_ids: c.account_ids,
            family_id: c.family_id,
            terms: Map::new(),
        };
        self.issue_authorized(client, &grant, profiles).await
    }

    /// The refresh_token grant: the presented token is spent and a new one
    /// of the same family issued. Presenting a spent token revokes the family.
    pub async fn exchange_refresh(
        &self,
        client: &Client,
        refresh_token: &str,
        scope: Option<&str>,
        profiles: &Profiles,
    ) -> Result<TokenResponse, OAuthError> {
        let bad = || OAuthError::InvalidGrant("the refresh token is invalid or expired".into());
        if refresh_token.is_empty() || refresh_token.len() > 200 {
            return Err(bad());
        }
        let hash = sha256_hex(refresh_token);
        let rt = self.repo.refresh(&hash).await?.ok_or_else(bad)?;
        if rt.client_id != client.client_id || rt.revoked {
            return Err(bad());
        }
        let reused = || {
            OAuthError::InvalidGrant(
                "the refresh token was already used; its grant has been revoked".into(),
            )
        };
        if rt.used {
            self.revoke_family(&rt.family_id).await?;
            return Err(reused());
        }
        if rt.expires_at <= self.clock.now() {
            return Err(bad());
        }
        let scopes = requested_scopes(scope, &rt.scopes)?;
        if !self.repo.spend_refresh(&hash).await? {
            // Lost a race with another use of the same token: that is reuse too.
            self.revoke_family(&rt.family_id).await?;
            return Err(reused());
        }
        let holding = Holding {
            person_id: rt.person_id.as_deref(),
            scopes: &rt.scopes,
            account_ids: &rt.account_ids,
        };
        let next = self
            .new_refresh(client, &rt.family_id, holding, profiles)
            .await?;
        let m = Mint {
            person_id: rt.person_id.as_deref(),
            scopes,
            family: Some(&rt.family_id),
            refresh_token: Some(next),
        };
        self.mint(client, m, profiles).await
    }

    /// RFC 7009: revoke an access or refresh token of `client`. Unknown
    /// tokens, and tokens of other clients, are ignored (the caller answers 200).
    /// Revoking a token of a refresh family revokes the whole family, whose
    /// id is returned.
    pub async fn revoke(
        &self,
        client: &Client,
        token: &str,
        token_type_hint: Option<&str>,
    ) -> Result<Option<String>, OAuthError> {
        let _ = token_type_hint; // Both kinds are cheap to tell apart; the hint is not needed.
        if token.is_empty() || token.len() > 4096 {
            return Ok(None);
        }
        if let Ok(claims) = self.signer.verify(token) {
            if claims.client_id != client.client_id {
                return Ok(None);
            }
            self.repo.revoke_access(&claims.jti).await?;
            self.revoked.insert(claims.jti.clone(), claims.exp);
            if let Some(fam) = &claims.fam {
                self.revoke_family(fam).await?;
            }
            return Ok(claims.fam);
        }
        match self.repo.refresh(&sha256_hex(token)).await? {
            Some(rt) if rt.client_id == client.client_id => {
                self.revoke_family(&rt.family_id).await?;
                Ok(Some(rt.family_id))
            }
            _ => Ok(None),
        }
    }
}
