//! Remitters coming to exist (U1) and their state: resolved per identity
//! across every agency, the identity number kept only as a keyed hash.

use super::remit::{IdentityType, Remitter, UserType};
use super::{OrisResult, Refusal, Registry};
use chrono::NaiveDate;
use secrecy::ExposeSecret;
/// Re-exported so a face can take an identity number without printing it.
pub use secrecy::SecretString;
use sha2::{Digest, Sha256};

/// U1's fields, parsed.
#[derive(Debug, Clone)]
pub struct NewRemitter {
    pub user_type: UserType,
    pub user_name: String,
    pub user_country: String,
    pub identity_type: IdentityType,
    pub identity_number: SecretString,
    pub birth_date: NaiveDate,
    /// finhub extension: the world person's CI, for ledger ties.
    pub ci: Option<SecretString>,
}

/// HMAC-SHA256 (RFC 2104) of `msg` under `key`, in hex.
fn hmac_hex(key: &[u8], msg: &[u8]) -> String {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(msg)
        .finalize();
    hex::encode(
        Sha256::new()
            .chain_update(pad(0x5c))
            .chain_update(inner)
            .finalize(),
    )
}

/// An identity number in its one written form: RRN and alien numbers are 13
/// digits (a hyphen after the sixth is dropped), passports 5–20 letters and
/// digits in upper case.
fn normalize_identity(t: IdentityType, raw: &str) -> Option<String> {
    let s: String = raw.trim().to_ascii_uppercase();
    match t {
        IdentityType::Rrn | IdentityType::AlienReg => {
            let digits: String = s.replacen('-', "", 1);
            (digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
        }
        IdentityType::Passport => ((5..=20).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(s),
    }
}

fn check_profile(n: &NewRemitter) -> OrisResult<()> {
    let name = n.user_name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Refusal::Invalid("userName must be 1-100 characters".into()));
    }
    let c = &n.user_country;
    if !(2..=10).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Refusal::Invalid(
            "userCountry must be an ISO 3166 code such as KR".into(),
        ));
    }
    Ok(())
}

impl Registry {
    /// The key identity numbers are hashed under: derived from the
    /// registry's signing key, which every node shares through the store.
    async fn identity_key(&self) -> OrisResult<Vec<u8>> {
        let k = self.repo.signing_key().await?;
        Ok(Sha256::new()
            .chain_update(b"oris remitter identity\0")
            .chain_update(&k)
            .finalize()
            .to_vec())
    }

    /// U1: register a remitter, or resolve the one of this identity
    /// (whichever agency registered it). `true` when new.
    pub async fn register_remitter(&self, n: NewRemitter) -> OrisResult<(Remitter, bool)> {
        check_profile(&n)?;
        let number = normalize_identity(n.identity_type, n.identity_number.expose_secret())
            .ok_or_else(|| {
                Refusal::Invalid(format!(
                    "identityNumber is not a well-formed {}",
                    n.identity_type.as_str()
                ))
            })?;
        if n.birth_date > self.now().date_naive() {
            return Err(Refusal::Invalid("birthDate is in the future".into()));
        }
        let person_id = match &n.ci {
            Some(ci) => Some(
                self.world
                    .repo
                    .person_by_ci(ci.expose_secret())
                    .await?
                    .ok_or_else(|| Refusal::Invalid("no person of the world has this ci".into()))?
                    .person_id,
            ),
            None => None,
        };
        let msg = format!("{}\0{number}", n.identity_type.as_str());
        let r = Remitter {
            user_id: self.new_id(),
            user_name: n.user_name.trim().to_owned(),
            user_type: n.user_type,
            user_country: n.user_country,
            identity_type: n.identity_type,
            identity_hash: hmac_hex(&self.identity_key().await?, msg.as_bytes()),
            birth_date: n.birth_date,
            person_id,
            active: true,
            created_at: self.now(),
        };
        let (held, new) = self.repo.insert_remitter(&r).await?;
        if !held.active {
            return Err(Refusal::UserNotActive);
        }
        Ok((held, new))
    }

    /// U2 and every call on a remitter: the remitter, or USER_NOT_FOUND.
    pub async fn remitter(&self, user_id: &str) -> OrisResult<Remitter> {
        self.repo
            .remitter(user_id)
            .await?
            .ok_or(Refusal::UserNotFound)
    }

    /// The sandbox: set a remitter active or inactive.
    pub async fn set_remitter_active(&self, user_id: &str, active: bool) -> OrisResult<Remitter> {
        if !self.repo.set_remitter_active(user_id, active).await? {
            return Err(Refusal::UserNotFound);
        }
        self.remitter(user_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        assert_eq!(
            hmac_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn identities_have_one_written_form() {
        let rrn = normalize_identity(IdentityType::Rrn, "900101-1234567").unwrap();
        assert_eq!(rrn, "9001011234567");
        assert!(normalize_identity(IdentityType::Rrn, "90010112345").is_none());
        assert_eq!(
            normalize_identity(IdentityType::Passport, "m1234567").unwrap(),
            "M1234567"
        );
        assert!(normalize_identity(IdentityType::Passport, "M12-34567").is_none());
    }
}
