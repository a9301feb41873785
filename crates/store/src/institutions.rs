use crate::rows::{convert_all, InstitutionRow};
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use finhub_core::institution::{Institution, ServiceStatus};
use finhub_core::repo::InstitutionRepo;
use finhub_core::CoreResult;

const COLS: &str = "org_code, kind, bank_code, name, status";

#[async_trait]
impl InstitutionRepo for Store {
    async fn upsert_institution(&self, i: &Institution) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query(
            "INSERT INTO institutions (org_code, kind, bank_code, name, status) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (org_code) DO UPDATE SET kind = excluded.kind, bank_code = excluded.bank_code, \
             name = excluded.name, status = excluded.status")
            .bind(&i.org_code).bind(i.kind.as_str()).bind(&i.bank_code).bind(&i.name).bind(i.status.as_str())
            .execute(p).await.map(|_| ()).map_err(map_err))?;
        self.caches.institutions.clear();
        self.caches.institutions_by_bank.clear();
        Ok(())
    }

    async fn institution(&self, org_code: &str) -> CoreResult<Option<Institution>> {
        let cache = &self.caches.institutions;
        if let Some(i) = cache.get(org_code) {
            return Ok(Some(i));
        }
        let gen = cache.generation();
        let sql = format!("SELECT {COLS} FROM institutions WHERE org_code = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, InstitutionRow>(&sql).bind(org_code).fetch_optional(p).await)
            .map_err(map_err)?;
        let inst = row.map(Institution::try_from).transpose()?;
        if let Some(i) = &inst {
            cache.fill(org_code.to_owned(), i.clone(), gen);
        }
        Ok(inst)
    }

    async fn institution_by_bank_code(&self, bank_code: &str) -> CoreResult<Option<Institution>> {
        let cache = &self.caches.institutions_by_bank;
        if let Some(i) = cache.get(bank_code) {
            return Ok(Some(i));
        }
        let gen = cache.generation();
        let sql = format!("SELECT {COLS} FROM institutions WHERE bank_code = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, InstitutionRow>(&sql).bind(bank_code).fetch_optional(p).await)
            .map_err(map_err)?;
        let inst = row.map(Institution::try_from).transpose()?;
        if let Some(i) = &inst {
            cache.fill(bank_code.to_owned(), i.clone(), gen);
        }
        Ok(inst)
    }

    async fn list_institutions(&self) -> CoreResult<Vec<Institution>> {
        let sql = format!("SELECT {COLS} FROM institutions ORDER BY org_code");
        let rows =
            on_db!(&self.db, p => sqlx::query_as::<_, InstitutionRow>(&sql).fetch_all(p).await)
                .map_err(map_err)?;
        convert_all(rows)
    }

    async fn set_institution_status(
        &self,
        org_code: &str,
        status: ServiceStatus,
    ) -> CoreResult<bool> {
        let n = on_db!(&self.db, p => sqlx::query("UPDATE institutions SET status = $1 WHERE org_code = $2")
            .bind(status.as_str()).bind(org_code).execute(p).await.map(|r| r.rows_affected()))
        .map_err(map_err)?;
        self.caches.institutions.clear();
        self.caches.institutions_by_bank.clear();
        Ok(n > 0)
    }
}
