//! Small named values the server keeps across restarts (signing keys, the
//! admin key's hash).

use crate::{map_err, on_db, Store};
use finhub_core::CoreResult;

/// One setting's value, on a bare pool (the store reads the world clock's
/// before it is whole).
pub(crate) async fn read(db: &crate::Db, name: &str) -> Result<Option<String>, sqlx::Error> {
    on_db!(db, p => sqlx::query_scalar("SELECT value FROM settings WHERE name = $1")
        .bind(name).fetch_optional(p).await)
}

impl Store {
    pub async fn setting(&self, name: &str) -> CoreResult<Option<String>> {
        read(&self.db, name).await.map_err(map_err)
    }

    /// Store `value` unless the name already has one; returns the value that holds.
    pub async fn setting_or_insert(&self, name: &str, value: &str) -> CoreResult<String> {
        on_db!(&self.db, p => sqlx::query("INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name).bind(value).execute(p).await.map(|_| ()).map_err(map_err))?;
        Ok(self
            .setting(name)
            .await?
            .unwrap_or_else(|| value.to_owned()))
    }

    pub async fn set_setting(&self, name: &str, value: &str) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query(
            "INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value")
            .bind(name).bind(value).execute(p).await.map(|_| ()).map_err(map_err))
    }
}
