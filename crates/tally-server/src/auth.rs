//! Tokens and roles: making a token (shown once, stored as an argon2 hash), and
//! checking the `Authorization: Bearer` header of a write.
//!
//! A token reads `tally_<id>_<secret>`: `id` is 8 hex digits, stored in clear so that a
//! check looks one row up and hashes once; `secret` is 32 random bytes in hex. Only the
//! argon2 hash of the whole token is stored. A token that verified once is remembered
//! (by its BLAKE3 hash, in memory) so that later requests skip argon2, but its
//! revocation is looked up on every request, so `tally token revoke` takes effect at
//! once, even from another process.

use crate::error::ApiError;
use crate::state::AppState;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;
use tally_store::{Ledger, StoreError, StoredToken};
use utoipa::ToSchema;

/// What a token may do. `admin` may do everything the others may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Adds files (`POST /api/v1/ingest`).
    Curator,
    /// Reviews public submissions and records link decisions.
    Reviewer,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Curator => "curator",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text.trim().to_ascii_lowercase().as_str() {
            "curator" => Some(Role::Curator),
            "reviewer" => Some(Role::Reviewer),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// True when this role may act where `needed` is required.
    pub fn allows(self, needed: Role) -> bool {
        self == Role::Admin || self == needed
    }
}

/// A token just made: the only time its secret exists outside its holder's hands.
#[derive(Debug, Clone)]
pub struct NewToken {
    pub id: String,
    pub token: String,
}

/// Why a token could not be made or revoked.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("no token {0:?} in the ledger")]
    Unknown(String),
    #[error("cannot hash the token: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Makes a token with this role, stores its hash, and returns it (to print once).
pub fn create_token(
    ledger: &mut Ledger,
    role: Role,
    name: Option<&str>,
) -> Result<NewToken, TokenError> {
    let mut id_bytes = [0u8; 4];
    let mut secret = [0u8; 32];
    loop {
        OsRng.fill_bytes(&mut id_bytes);
        // Ids are public and short; a clash is possible, if unlikely: draw again.
        if ledger.token(&hex(&id_bytes))?.is_none() {
            break;
        }
    }
    OsRng.fill_bytes(&mut secret);
    let id = hex(&id_bytes);
    let token = format!("tally_{id}_{}", hex(&secret));
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(token.as_bytes(), &salt)
        .map_err(|e| TokenError::Hash(e.to_string()))?
        .to_string();
    ledger.add_token(&id, role.as_str(), name, &hash, chrono::Utc::now())?;
    Ok(NewToken { id, token })
}

/// Appends a revocation for the token with this public id (or the whole token).
/// Returns false when it was already revoked.
pub fn revoke_token(ledger: &mut Ledger, id_or_token: &str) -> Result<bool, TokenError> {
    let id = token_id(id_or_token).unwrap_or(id_or_token.trim());
    if ledger.token(id)?.is_none() {
        return Err(TokenError::Unknown(id.to_string()));
    }
    Ok(ledger.revoke_token(id, chrono::Utc::now())?)
}

/// Every token, without hashes.
pub fn list_tokens(ledger: &Ledger) -> Result<Vec<StoredToken>, TokenError> {
    Ok(ledger.tokens()?)
}

/// The public id inside a token, when it has the token's shape.
fn token_id(token: &str) -> Option<&str> {
    let rest = token.trim().strip_prefix("tally_")?;
    let (id, secret) = rest.split_once('_')?;
    let hex_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hex_digits(id, 8) && hex_digits(secret, 64)).then_some(id)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Tokens that verified, by the BLAKE3 hash of the token: their id and role.
#[derive(Default)]
pub struct TokenCache {
    verified: Mutex<HashMap<[u8; 32], (String, Role)>>,
}

impl TokenCache {
    fn get(&self, key: &[u8; 32]) -> Option<(String, Role)> {
        let verified = self.verified.lock().unwrap_or_else(|p| p.into_inner());
        verified.get(key).cloned()
    }

    fn insert(&self, key: [u8; 32], value: (String, Role)) {
        let mut verified = self.verified.lock().unwrap_or_else(|p| p.into_inner());
        if verified.len() > 10_000 {
            verified.clear();
        }
        verified.insert(key, value);
    }
}

/// The holder of a valid, unrevoked token: who makes a write.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token's public id, recorded with every write it makes.
    pub token_id: String,
    pub role: Role,
}

impl Caller {
    /// 403 unless this caller's role may act where `needed` is required.
    pub fn require(&self, needed: Role) -> Result<&Caller, ApiError> {
        if self.role.allows(needed) {
            Ok(self)
        } else {
            Err(ApiError::forbidden(format!(
                "this endpoint needs a {} token; this one is a {} token",
                needed.as_str(),
                self.role.as_str()
            )))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        let header = parts.headers.get(header::AUTHORIZATION).ok_or_else(|| {
            ApiError::unauthorized("this endpoint needs `Authorization: Bearer TOKEN`")
        })?;
        let token = header
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header must read `Bearer TOKEN`")
            })?
            .to_string();
        let invalid = || ApiError::unauthorized("the token is not valid");
        let id = token_id(&token).ok_or_else(invalid)?.to_string();
        let lookup = id.clone();
        let stored = state
            .read(move |ledger| Ok(ledger.token(&lookup)?))
            .await?
            .ok_or_else(invalid)?;
        if stored.revoked_at.is_some() {
            return Err(ApiError::unauthorized("the token has been revoked"));
        }
        let role = Role::parse(&stored.role)
            .ok_or_else(|| ApiError::internal(format!("token {id} has an unknown role")))?;
        let key = *blake3::hash(token.as_bytes()).as_bytes();
        if let Some((cached_id, cached_role)) = state.tokens().get(&key) {
            if cached_id == id && cached_role == role {
                return Ok(Caller { token_id: id, role });
            }
        }
        // argon2 is deliberately slow: off the async threads.
        let hash = stored.hash.clone();
        let checked = token.clone();
        let valid = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| {
                    Argon2::default()
                        .verify_password(checked.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false)
        })
        .await
        .map_err(|e| ApiError::internal(format!("token check failed: {e}")))?;
        if !valid {
            return Err(invalid());
        }
        state.tokens().insert(key, (id.clone(), role));
        Ok(Caller { token_id: id, role })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_token_shape() {
        assert!(Role::Admin.allows(Role::Curator));
        assert!(Role::Reviewer.allows(Role::Reviewer));
        assert!(!Role::Curator.allows(Role::Reviewer));
        assert!(!Role::Reviewer.allows(Role::Admin));
        let token = format!("tally_0a1b2c3d_{}", "f".repeat(64));
        assert_eq!(token_id(&token), Some("0a1b2c3d"));
        assert_eq!(token_id("tally_0a1b2c3d_short"), None);
        assert_eq!(token_id("Bearer x"), None);
    }

    #[test]
    fn a_token_is_stored_only_as_a_hash() {
        let mut ledger = Ledger::open_in_memory().unwrap();
        let made = create_token(&mut ledger, Role::Reviewer, Some("desk")).unwrap();
        let stored = ledger.token(&made.id).unwrap().unwrap();
        assert!(stored.hash.starts_with("$argon2"));
        assert!(!stored.hash.contains(&made.token));
        assert!(!stored.hash.contains(&made.token[15..]));
        assert!(revoke_token(&mut ledger, &made.token).unwrap());
        assert!(!revoke_token(&mut ledger, &made.id).unwrap());
        assert!(matches!(
            revoke_token(&mut ledger, "ffffffff"),
            Err(TokenError::Unknown(_))
        ));
    }
}
