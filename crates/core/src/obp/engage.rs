//! Meetings, customer messages (v1.4.0 and v4.0.0) and CRM events.
//!
//! - A meeting belongs to the user who made it: OBP passes the caller as
//!   both the staff and the customer user, and lists a user's meetings.
//! - A v1.4.0 message is addressed to each user linked to the customer,
//!   at the bank of the path; a v4.0.0 message is kept for the customer.
//! - OBP has no API that makes CRM events: [`Obp::record_crm_event`] is for
//!   the sandbox (and tests) to seed them.

use super::{new_id, Obp, ObpResult, Refusal};
use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactDetails {
    pub name: String,
    pub mobile_phone: String,
    pub email_address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Invitee {
    pub contact_details: ContactDetails,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub meeting_id: String,
    pub bank_id: String,
    pub provider_id: String,
    pub purpose_id: String,
    /// The request's `date`; none when it sent none.
    pub when: Option<DateTime<Utc>>,
    pub creator: ContactDetails,
    pub invitees: Vec<Invitee>,
    pub staff_user_id: String,
    pub customer_user_id: String,
    pub created_at: DateTime<Utc>,
}

/// What Create Meeting asks for.
#[derive(Debug, Clone, Default)]
pub struct NewMeeting {
    pub provider_id: String,
    pub purpose_id: String,
    pub when: Option<DateTime<Utc>>,
    pub creator: ContactDetails,
    pub invitees: Vec<Invitee>,
}

/// A customer message: v1.4.0 ones carry the user they are addressed to,
/// v4.0.0 ones none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerMessage {
    pub message_id: String,
    pub bank_id: String,
    pub customer_id: String,
    pub user_id: Option<String>,
    pub date: DateTime<Utc>,
    pub message: String,
    /// `""` for a v1.4.0 message.
    pub transport: String,
    pub from_department: String,
    pub from_person: String,
}

/// A message's text and sender, as both versions post it.
#[derive(Debug, Clone, Default)]
pub struct NewMessage {
    pub message: String,
    pub transport: String,
    pub from_department: String,
    pub from_person: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrmEvent {
    pub crm_event_id: String,
    pub bank_id: String,
    pub customer_name: String,
    pub customer_number: String,
    pub category: String,
    pub detail: String,
    pub channel: String,
    pub scheduled_date: Option<DateTime<Utc>>,
    pub actual_date: Option<DateTime<Utc>>,
    pub result: String,
}

#[async_trait]
pub trait EngageRepo: Send + Sync {
    async fn insert_meeting(&self, m: &Meeting) -> CoreResult<()>;
    /// The meeting at `bank_id` where `user_id` is staff or customer.
    async fn meeting(
        &self,
        bank_id: &str,
        user_id: &str,
        meeting_id: &str,
    ) -> CoreResult<Option<Meeting>>;
    /// Every meeting at `bank_id` where `user_id` is staff or customer, oldest first.
    async fn meetings(&self, bank_id: &str, user_id: &str) -> CoreResult<Vec<Meeting>>;
    /// All or none.
    async fn insert_messages(&self, ms: &[CustomerMessage]) -> CoreResult<()>;
    /// The v1.4.0 messages addressed to `user_id` at `bank_id`, oldest first.
    async fn messages_to_user(
        &self,
        bank_id: &str,
        user_id: &str,
    ) -> CoreResult<Vec<CustomerMessage>>;
    /// The v4.0.0 messages kept for `customer_id` at `bank_id`, oldest first.
    async fn messages_of_customer(
        &self,
        bank_id: &str,
        customer_id: &str,
    ) -> CoreResult<Vec<CustomerMessage>>;
    async fn insert_crm_event(&self, e: &CrmEvent) -> CoreResult<()>;
    /// The bank's events, by scheduled date.
    async fn crm_events(&self, bank_id: &str) -> CoreResult<Vec<CrmEvent>>;
}

impl Obp {
    /// The caller is both staff and customer user (video keys are off).
    pub async fn create_meeting(
        &self,
        bank_id: &str,
        user_id: &str,
        new: NewMeeting,
    ) -> ObpResult<Meeting> {
        let m = Meeting {
            meeting_id: new_id(),
            bank_id: bank_id.into(),
            provider_id: new.provider_id,
            purpose_id: new.purpose_id,
            when: new.when,
            creator: new.creator,
            invitees: new.invitees,
            staff_user_id: user_id.into(),
            customer_user_id: user_id.into(),
            created_at: self.now(),
        };
        self.repo.insert_meeting(&m).await?;
        Ok(m)
    }

    /// One of the caller's meetings at the bank; any other is not found.
    pub async fn meeting(
        &self,
        bank_id: &str,
        user_id: &str,
        meeting_id: &str,
    ) -> ObpResult<Meeting> {
        (self.repo.meeting(bank_id, user_id, meeting_id).await?).ok_or(Refusal::NotFound("meeting"))
    }

    pub async fn meetings(&self, bank_id: &str, user_id: &str) -> ObpResult<Vec<Meeting>> {
        Ok(self.repo.meetings(bank_id, user_id).await?)
    }

    /// v1.4.0: one message for each user linked to the customer, at
    /// `bank_id`. No link is `NotFound("link")`; a linked user that is
    /// gone is `UnknownUser`.
    pub async fn message_linked_users(
        &self,
        bank_id: &str,
        customer_id: &str,
        new: NewMessage,
    ) -> ObpResult<()> {
        let links = self.links_of_customer(customer_id).await?;
        let users: Vec<String> = (links.into_iter().filter(|l| l.is_active))
            .map(|l| l.user_id)
            .collect();
        if users.is_empty() {
            return Err(Refusal::NotFound("link"));
        }
        let date = self.now();
        let mut ms = Vec::with_capacity(users.len());
        for user_id in users {
            self.user(&user_id).await?;
            ms.push(message(bank_id, customer_id, Some(user_id), date, &new));
        }
        Ok(self.repo.insert_messages(&ms).await?)
    }

    /// v4.0.0: the message is kept for the customer.
    pub async fn message_customer(
        &self,
        bank_id: &str,
        customer_id: &str,
        new: NewMessage,
    ) -> ObpResult<()> {
        let m = message(bank_id, customer_id, None, self.now(), &new);
        Ok(self.repo.insert_messages(&[m]).await?)
    }

    pub async fn messages_to_user(
        &self,
        bank_id: &str,
        user_id: &str,
    ) -> ObpResult<Vec<CustomerMessage>> {
        Ok(self.repo.messages_to_user(bank_id, user_id).await?)
    }

    pub async fn messages_of_customer(
        &self,
        bank_id: &str,
        customer_id: &str,
    ) -> ObpResult<Vec<CustomerMessage>> {
        Ok(self.repo.messages_of_customer(bank_id, customer_id).await?)
    }

    /// Seed a CRM event (OBP has no API that makes them); a new id is given
    /// when `crm_event_id` is empty.
    pub async fn record_crm_event(&self, mut e: CrmEvent) -> ObpResult<CrmEvent> {
        if e.crm_event_id.is_empty() {
            e.crm_event_id = new_id();
        }
        self.repo.insert_crm_event(&e).await?;
        Ok(e)
    }

    pub async fn crm_events(&self, bank_id: &str) -> ObpResult<Vec<CrmEvent>> {
        Ok(self.repo.crm_events(bank_id).await?)
    }
}

fn message(
    bank_id: &str,
    customer_id: &str,
    user_id: Option<String>,
    date: DateTime<Utc>,
    new: &NewMessage,
) -> CustomerMessage {
    CustomerMessage {
        message_id: new_id(),
        bank_id: bank_id.into(),
        customer_id: customer_id.into(),
        user_id,
        date,
        message: new.message.clone(),
        transport: new.transport.clone(),
        from_department: new.from_department.clone(),
        from_person: new.from_person.clone(),
    }
}
