//! Message encryption (konaplate-prepaid.md §4): JWE compact, RSA-OAEP-256
//! or RSA-OAEP key wrapping with A128GCM or A256GCM, by josekit. Requests
//! are decrypted with the named key's server private key; answers are
//! encrypted to its client public key with RSA-OAEP-256 + A128GCM.

use finhub_core::konaplate::project::{CryptoKey, KeyPair, KeySmith};
use finhub_core::{CoreError, CoreResult};
use josekit::jwe::alg::rsaes::{RsaesJweDecrypter, RsaesJweEncrypter};
use josekit::jwe::{self, JweDecrypter, JweHeader, RSA_OAEP, RSA_OAEP_256};
use josekit::jwk::alg::rsa::RsaKeyPair;
use parking_lot::Mutex;
use secrecy::ExposeSecret;
use std::collections::HashMap;
use std::sync::Arc;

/// RSA-2048 pairs through josekit (OpenSSL).
pub struct Josekit;

fn internal(e: impl std::fmt::Display) -> CoreError {
    CoreError::Internal(format!("key generation: {e}"))
}

impl KeySmith for Josekit {
    fn generate(&self) -> CoreResult<KeyPair> {
        let kp = RsaKeyPair::generate(2048).map_err(internal)?;
        let public_pem = String::from_utf8(kp.to_pem_public_key()).map_err(internal)?;
        let private_pem = String::from_utf8(kp.to_pem_private_key()).map_err(internal)?;
        Ok(KeyPair {
            public_pem,
            private_pem: private_pem.into(),
        })
    }

    fn public_key_ok(&self, pem: &str) -> bool {
        pem.contains("BEGIN PUBLIC KEY") && RSA_OAEP_256.encrypter_from_pem(pem.trim()).is_ok()
    }
}

/// A crypto key parsed once: both decrypters of its server private key
/// and the encrypter of its client public key.
struct Parsed {
    oaep: RsaesJweDecrypter,
    oaep256: RsaesJweDecrypter,
    to_client: RsaesJweEncrypter,
}

/// Parsed keys by id (keys never change; discarding is checked per call).
#[derive(Clone, Default)]
pub struct Keyring {
    parsed: Arc<Mutex<HashMap<String, Arc<Parsed>>>>,
}

/// Why a body did not decrypt (each is `000_105`).
#[derive(Debug)]
pub struct Undecryptable;

impl Keyring {
    fn parsed(&self, k: &CryptoKey) -> Option<Arc<Parsed>> {
        let id = k.crypto_key_id.as_str();
        if let Some(p) = self.parsed.lock().get(id) {
            return Some(p.clone());
        }
        let private = k.server_private_pem.expose_secret();
        let p = Arc::new(Parsed {
            oaep: RSA_OAEP.decrypter_from_pem(private).ok()?,
            oaep256: RSA_OAEP_256.decrypter_from_pem(private).ok()?,
            to_client: RSA_OAEP_256.encrypter_from_pem(&k.client_public_pem).ok()?,
        });
        self.parsed.lock().insert(id.to_owned(), p.clone());
        Some(p)
    }

    /// The plaintext of a compact JWE sent to `k`.
    pub fn decrypt(&self, k: &CryptoKey, token: &str) -> Result<Vec<u8>, Undecryptable> {
        let p = self.parsed(k).ok_or(Undecryptable)?;
        let select = |h: &JweHeader| -> Result<Option<&dyn JweDecrypter>, josekit::JoseError> {
            if !matches!(h.content_encryption(), Some("A128GCM" | "A256GCM")) {
                return Ok(None);
            }
            Ok(match h.algorithm() {
                Some("RSA-OAEP-256") => Some(&p.oaep256),
                Some("RSA-OAEP") => Some(&p.oaep),
                _ => None,
            })
        };
        jwe::deserialize_compact_with_selector(token.trim(), select)
            .map(|(plain, _)| plain)
            .map_err(|_| Undecryptable)
    }

    /// `plain` as a compact JWE to `k`'s client public key.
    pub fn encrypt(&self, k: &CryptoKey, plain: &[u8]) -> CoreResult<String> {
        let p = self
            .parsed(k)
            .ok_or_else(|| CoreError::Internal("a stored crypto key does not parse".into()))?;
        let mut h = JweHeader::new();
        h.set_content_encryption("A128GCM");
        jwe::serialize_compact(plain, &h, &p.to_client)
            .map_err(|e| CoreError::Internal(format!("jwe: {e}")))
    }
}
