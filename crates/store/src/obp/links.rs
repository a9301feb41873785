//! User–customer links: finhub_core::obp::links.

use super::flag;
use crate::sql::Arg;
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::links::{LinkRepo, UserCustomerLink};
use finhub_core::CoreResult;

const LINK_COLS: &str =
    "user_customer_link_id, user_id, customer_id, bank_id, date_inserted, is_active";

#[derive(sqlx::FromRow)]
struct LinkRow {
    user_customer_link_id: String,
    user_id: String,
    customer_id: String,
    bank_id: String,
    date_inserted: i64,
    is_active: i64,
}

impl From<LinkRow> for UserCustomerLink {
    fn from(r: LinkRow) -> Self {
        UserCustomerLink {
            user_customer_link_id: r.user_customer_link_id,
            user_id: r.user_id,
            customer_id: r.customer_id,
            bank_id: r.bank_id,
            date_inserted: from_micros(r.date_inserted),
            is_active: r.is_active != 0,
        }
    }
}

impl Store {
    async fn links_where(&self, clause: &str, value: &str) -> CoreResult<Vec<UserCustomerLink>> {
        let sql = format!("SELECT {LINK_COLS} FROM obp_user_customer_links WHERE {clause}");
        let rows: Vec<LinkRow> = self
            .db
            .fetch_all(&sql, &[Arg::Text(value)])
            .await
            .map_err(map_err)?;
        Ok(rows.into_iter().map(UserCustomerLink::from).collect())
    }
}

const NEWEST: &str = "ORDER BY date_inserted DESC, user_customer_link_id DESC";

#[async_trait]
impl LinkRepo for Store {
    async fn insert_link(&self, l: &UserCustomerLink) -> CoreResult<bool> {
        let sql = format!(
            "INSERT INTO obp_user_customer_links ({LINK_COLS}) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id, customer_id) DO NOTHING"
        );
        let args = [
            Arg::Text(&l.user_customer_link_id),
            Arg::Text(&l.user_id),
            Arg::Text(&l.customer_id),
            Arg::Text(&l.bank_id),
            Arg::Int(to_micros(l.date_inserted)),
            Arg::Int(flag(l.is_active)),
        ];
        Ok(self.db.execute(&sql, &args).await.map_err(map_err)? > 0)
    }

    async fn link(&self, link_id: &str) -> CoreResult<Option<UserCustomerLink>> {
        Ok(self
            .links_where("user_customer_link_id = $1", link_id)
            .await?
            .pop())
    }

    async fn delete_link(&self, link_id: &str) -> CoreResult<bool> {
        let sql = "DELETE FROM obp_user_customer_links WHERE user_customer_link_id = $1";
        Ok(self
            .db
            .execute(sql, &[Arg::Text(link_id)])
            .await
            .map_err(map_err)?
            > 0)
    }

    async fn links_of_user(&self, user_id: &str) -> CoreResult<Vec<UserCustomerLink>> {
        self.links_where(&format!("user_id = $1 {NEWEST}"), user_id)
            .await
    }

    async fn links_of_customer(&self, customer_id: &str) -> CoreResult<Vec<UserCustomerLink>> {
        self.links_where(&format!("customer_id = $1 {NEWEST}"), customer_id)
            .await
    }
}
