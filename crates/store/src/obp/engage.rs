//! Meetings, customer messages and CRM events: finhub_core::obp::engage.

use super::{bad, time};
use crate::sql::{Arg, Tx};
use crate::{map_err, Store};
use async_trait::async_trait;
use finhub_core::clock::{from_micros, to_micros};
use finhub_core::obp::engage::{
    ContactDetails, CrmEvent, CustomerMessage, EngageRepo, Invitee, Meeting,
};
use finhub_core::CoreResult;
use serde::{Deserialize, Serialize};

/// The stored JSON of a meeting's creator and invitees.
#[derive(Serialize, Deserialize)]
struct Contact {
    name: String,
    mobile_phone: String,
    email_address: String,
}

#[derive(Serialize, Deserialize)]
struct Guest {
    contact_details: Contact,
    status: String,
}

impl From<&ContactDetails> for Contact {
    fn from(c: &ContactDetails) -> Self {
        Contact {
            name: c.name.clone(),
            mobile_phone: c.mobile_phone.clone(),
            email_address: c.email_address.clone(),
        }
    }
}

impl From<Contact> for ContactDetails {
    fn from(c: Contact) -> Self {
        ContactDetails {
            name: c.name,
            mobile_phone: c.mobile_phone,
            email_address: c.email_address,
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

const MEETING_COLS: &str = "meeting_id, bank_id, provider_id, purpose_id, when_at, creator, \
     invitees, staff_user_id, customer_user_id, created_at";

#[derive(sqlx::FromRow)]
struct MeetingRow {
    meeting_id: String,
    bank_id: String,
    provider_id: String,
    purpose_id: String,
    when_at: Option<i64>,
    creator: String,
    invitees: String,
    staff_user_id: String,
    customer_user_id: String,
    created_at: i64,
}

impl MeetingRow {
    fn into_meeting(self) -> CoreResult<Meeting> {
        let creator: Contact =
            serde_json::from_str(&self.creator).map_err(|_| bad("meeting creator"))?;
        let guests: Vec<Guest> =
            serde_json::from_str(&self.invitees).map_err(|_| bad("meeting invitees"))?;
        let invitees = (guests.into_iter())
            .map(|g| Invitee {
                contact_details: g.contact_details.into(),
                status: g.status,
            })
            .collect();
        Ok(Meeting {
            meeting_id: self.meeting_id,
            bank_id: self.bank_id,
            provider_id: self.provider_id,
            purpose_id: self.purpose_id,
            when: time(self.when_at),
            creator: creator.into(),
            invitees,
            staff_user_id: self.staff_user_id,
            customer_user_id: self.customer_user_id,
            created_at: from_micros(self.created_at),
        })
    }
}

const MESSAGE_COLS: &str = "message_id, bank_id, customer_id, user_id, sent_at, message, \
     transport, from_department, from_person";

#[derive(sqlx::FromRow)]
struct MessageRow {
    message_id: String,
    bank_id: String,
    customer_id: String,
    user_id: Option<String>,
    sent_at: i64,
    message: String,
    transport: String,
    from_department: String,
    from_person: String,
}

impl From<MessageRow> for CustomerMessage {
    fn from(r: MessageRow) -> Self {
        CustomerMessage {
            message_id: r.message_id,
            bank_id: r.bank_id,
            customer_id: r.customer_id,
            user_id: r.user_id,
            date: from_micros(r.sent_at),
            message: r.message,
            transport: r.transport,
            from_department: r.from_department,
            from_person: r.from_person,
        }
    }
}

const CRM_COLS: &str = "crm_event_id, bank_id, customer_name, customer_number, category, \
     detail, channel, scheduled_date, actual_date, result";

#[derive(sqlx::FromRow)]
struct CrmRow {
    crm_event_id: String,
    bank_id: String,
    customer_name: String,
    customer_number: String,
    category: String,
    detail: String,
    channel: String,
    scheduled_date: Option<i64>,
    actual_date: Option<i64>,
    result: String,
}

impl From<CrmRow> for CrmEvent {
    fn from(r: CrmRow) -> Self {
        CrmEvent {
            crm_event_id: r.crm_event_id,
            bank_id: r.bank_id,
            customer_name: r.customer_name,
            customer_number: r.customer_number,
            category: r.category,
            detail: r.detail,
            channel: r.channel,
            scheduled_date: time(r.scheduled_date),
            actual_date: time(r.actual_date),
            result: r.result,
        }
    }
}

/// A meeting of the user at the bank: staff or customer.
const MEETING_OF: &str = "bank_id = $1 AND (staff_user_id = $2 OR customer_user_id = $2)";

impl Store {
    async fn meetings_where(&self, clause: &str, args: &[Arg<'_>]) -> CoreResult<Vec<Meeting>> {
        let sql = format!("SELECT {MEETING_COLS} FROM obp_meetings WHERE {clause}");
        let rows: Vec<MeetingRow> = self.db.fetch_all(&sql, args).await.map_err(map_err)?;
        rows.into_iter().map(MeetingRow::into_meeting).collect()
    }

    async fn messages_where(
        &self,
        clause: &str,
        bank_id: &str,
        id: &str,
    ) -> CoreResult<Vec<CustomerMessage>> {
        let sql = format!(
            "SELECT {MESSAGE_COLS} FROM obp_customer_messages WHERE bank_id = $1 AND {clause} \
             ORDER BY sent_at, message_id"
        );
        let rows: Vec<MessageRow> = (self
            .db
            .fetch_all(&sql, &[Arg::Text(bank_id), Arg::Text(id)])
            .await)
            .map_err(map_err)?;
        Ok(rows.into_iter().map(CustomerMessage::from).collect())
    }
}

fn message_args(m: &CustomerMessage) -> [Arg<'_>; 9] {
    [
        Arg::Text(&m.message_id),
        Arg::Text(&m.bank_id),
        Arg::Text(&m.customer_id),
        Arg::OptText(m.user_id.as_deref()),
        Arg::Int(to_micros(m.date)),
        Arg::Text(&m.message),
        Arg::Text(&m.transport),
        Arg::Text(&m.from_department),
        Arg::Text(&m.from_person),
    ]
}

#[async_trait]
impl EngageRepo for Store {
    async fn insert_meeting(&self, m: &Meeting) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO obp_meetings ({MEETING_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        let creator = to_json(&Contact::from(&m.creator));
        let guests: Vec<Guest> = (m.invitees.iter())
            .map(|i| Guest {
                contact_details: Contact::from(&i.contact_details),
                status: i.status.clone(),
            })
            .collect();
        let invitees = to_json(&guests);
        let args = [
            Arg::Text(&m.meeting_id),
            Arg::Text(&m.bank_id),
            Arg::Text(&m.provider_id),
            Arg::Text(&m.purpose_id),
            Arg::OptInt(m.when.map(to_micros)),
            Arg::Text(&creator),
            Arg::Text(&invitees),
            Arg::Text(&m.staff_user_id),
            Arg::Text(&m.customer_user_id),
            Arg::Int(to_micros(m.created_at)),
        ];
        self.db.execute(&sql, &args).await.map_err(map_err)?;
        Ok(())
    }

    async fn meeting(
        &self,
        bank_id: &str,
        user_id: &str,
        meeting_id: &str,
    ) -> CoreResult<Option<Meeting>> {
        let clause = format!("{MEETING_OF} AND meeting_id = $3");
        let args = [
            Arg::Text(bank_id),
            Arg::Text(user_id),
            Arg::Text(meeting_id),
        ];
        Ok(self.meetings_where(&clause, &args).await?.pop())
    }

    async fn meetings(&self, bank_id: &str, user_id: &str) -> CoreResult<Vec<Meeting>> {
        let clause = format!("{MEETING_OF} ORDER BY created_at, meeting_id");
        self.meetings_where(&clause, &[Arg::Text(bank_id), Arg::Text(user_id)])
            .await
    }

    async fn insert_messages(&self, ms: &[CustomerMessage]) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO obp_customer_messages ({MESSAGE_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        );
        let mut tx = Tx::begin(&self.db).await.map_err(map_err)?;
        for m in ms {
            tx.changed(&sql, &message_args(m)).await.map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
    }

    async fn messages_to_user(
        &self,
        bank_id: &str,
        user_id: &str,
    ) -> CoreResult<Vec<CustomerMessage>> {
        self.messages_where("user_id = $2", bank_id, user_id).await
    }

    async fn messages_of_customer(
        &self,
        bank_id: &str,
        customer_id: &str,
    ) -> CoreResult<Vec<CustomerMessage>> {
        self.messages_where("customer_id = $2 AND user_id IS NULL", bank_id, customer_id)
            .await
    }

    async fn insert_crm_event(&self, e: &CrmEvent) -> CoreResult<()> {
        let sql = format!(
            "INSERT INTO obp_crm_events ({CRM_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        let args = [
            Arg::Text(&e.crm_event_id),
            Arg::Text(&e.bank_id),
            Arg::Text(&e.customer_name),
            Arg::Text(&e.customer_number),
            Arg::Text(&e.category),
            Arg::Text(&e.detail),
            Arg::Text(&e.channel),
            Arg::OptInt(e.scheduled_date.map(to_micros)),
            Arg::OptInt(e.actual_date.map(to_micros)),
            Arg::Text(&e.result),
        ];
        self.db.execute(&sql, &args).await.map_err(map_err)?;
        Ok(())
    }

    async fn crm_events(&self, bank_id: &str) -> CoreResult<Vec<CrmEvent>> {
        let sql = format!(
            "SELECT {CRM_COLS} FROM obp_crm_events WHERE bank_id = $1 \
             ORDER BY COALESCE(scheduled_date, 0), crm_event_id"
        );
        let rows: Vec<CrmRow> = self
            .db
            .fetch_all(&sql, &[Arg::Text(bank_id)])
            .await
            .map_err(map_err)?;
        Ok(rows.into_iter().map(CrmEvent::from).collect())
    }
}
