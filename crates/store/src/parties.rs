use crate::rows::{convert_all, PersonRow, PERSON_COLS};
use crate::{map_err, on_db, Store};
use async_trait::async_trait;
use finhub_core::party::Person;
use finhub_core::repo::PartyRepo;
use finhub_core::CoreResult;

#[async_trait]
impl PartyRepo for Store {
    async fn insert_person(&self, x: &Person) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query(
            "INSERT INTO people (person_id, ci, name, birth_date, gender, phone, email) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&x.person_id).bind(&x.ci).bind(&x.name).bind(x.birth_date.format("%Y-%m-%d").to_string())
            .bind(x.gender.map(|g| g.as_str())).bind(&x.phone).bind(&x.email)
            .execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn person(&self, person_id: &str) -> CoreResult<Option<Person>> {
        self.person_where("person_id", person_id).await
    }

    async fn person_by_ci(&self, ci: &str) -> CoreResult<Option<Person>> {
        self.person_where("ci", ci).await
    }

    async fn person_by_phone(&self, phone: &str) -> CoreResult<Option<Person>> {
        self.person_where("phone", phone).await
    }

    async fn list_people(&self, limit: u32, offset: u64) -> CoreResult<Vec<Person>> {
        let sql = format!("SELECT {PERSON_COLS} FROM people ORDER BY person_id LIMIT $1 OFFSET $2");
        let rows = on_db!(&self.db, p => sqlx::query_as::<_, PersonRow>(&sql)
            .bind(limit as i64).bind(offset.min(i64::MAX as u64) as i64).fetch_all(p).await)
        .map_err(map_err)?;
        convert_all(rows)
    }

    async fn count_people(&self) -> CoreResult<u64> {
        let n: i64 = on_db!(&self.db, p => sqlx::query_scalar("SELECT COUNT(*) FROM people").fetch_one(p).await)
            .map_err(map_err)?;
        Ok(n as u64)
    }

    async fn set_password_hash(&self, person_id: &str, hash: &str) -> CoreResult<()> {
        on_db!(&self.db, p => sqlx::query("UPDATE people SET password_hash = $1 WHERE person_id = $2")
            .bind(hash).bind(person_id).execute(p).await.map(|_| ()).map_err(map_err))
    }

    async fn password_hash(&self, person_id: &str) -> CoreResult<Option<String>> {
        let v: Option<Option<String>> = on_db!(&self.db, p => sqlx::query_scalar(
            "SELECT password_hash FROM people WHERE person_id = $1").bind(person_id).fetch_optional(p).await)
        .map_err(map_err)?;
        Ok(v.flatten())
    }
}

impl Store {
    async fn person_where(&self, col: &'static str, v: &str) -> CoreResult<Option<Person>> {
        let sql = format!("SELECT {PERSON_COLS} FROM people WHERE {col} = $1");
        let row = on_db!(&self.db, p => sqlx::query_as::<_, PersonRow>(&sql).bind(v).fetch_optional(p).await)
            .map_err(map_err)?;
        row.map(Person::try_from).transpose()
    }
}
