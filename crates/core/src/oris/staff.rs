//! Agencies (참가기관), their staff (담당자), permission groups, API keys and
//! the sessions tokens are issued under.

use crate::CoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

/// What kind of institution reports; `Bok` (한국은행) is the ORIS operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgencyType {
    Bank,
    Post,
    Securities,
    Card,
    SmallRemit,
    Bok,
}

impl AgencyType {
    pub const ALL: [AgencyType; 6] = [
        AgencyType::Bank,
        AgencyType::Post,
        AgencyType::Securities,
        AgencyType::Card,
        AgencyType::SmallRemit,
        AgencyType::Bok,
    ];

    /// The Korean word the registry uses for it.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyType::Bank => "은행",
            AgencyType::Post => "우정사업본부",
            AgencyType::Securities => "증권사",
            AgencyType::Card => "카드사",
            AgencyType::SmallRemit => "소액해외송금업자",
            AgencyType::Bok => "한국은행",
        }
    }

    pub fn parse(s: &str) -> Option<AgencyType> {
        AgencyType::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    Pending,
    Approved,
    Rejected,
}

impl Approval {
    pub fn as_str(self) -> &'static str {
        match self {
            Approval::Pending => "PENDING",
            Approval::Approved => "APPROVED",
            Approval::Rejected => "REJECTED",
        }
    }

    pub fn parse(s: &str) -> Option<Approval> {
        [Approval::Pending, Approval::Approved, Approval::Rejected]
            .into_iter()
            .find(|a| a.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct Agency {
    pub agency_id: String,
    pub agency_code: String,
    pub agency_name: String,
    pub agency_type: AgencyType,
    /// The world's institution it reports for, when it is one.
    pub org_code: Option<String>,
    pub approval: Approval,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl Agency {
    pub fn is_operator(&self) -> bool {
        self.agency_type == AgencyType::Bok
    }
}

/// A permission a group grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    RemittanceReport,
    RemittanceRead,
    UserRead,
    BatchWrite,
    MemberAdmin,
    BoardWrite,
}

impl Permission {
    pub const ALL: [Permission; 6] = [
        Permission::RemittanceReport,
        Permission::RemittanceRead,
        Permission::UserRead,
        Permission::BatchWrite,
        Permission::MemberAdmin,
        Permission::BoardWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::RemittanceReport => "REMITTANCE_REPORT",
            Permission::RemittanceRead => "REMITTANCE_READ",
            Permission::UserRead => "USER_READ",
            Permission::BatchWrite => "BATCH_WRITE",
            Permission::MemberAdmin => "MEMBER_ADMIN",
            Permission::BoardWrite => "BOARD_WRITE",
        }
    }

    pub fn parse(s: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// The built-in groups every agency shares (ids fixed by the migration).
pub const ADMIN_GROUP: &str = "01JA0000000000000000000AD1";
pub const MANAGER_GROUP: &str = "01JA0000000000000000000MG1";
pub const VIEWER_GROUP: &str = "01JA0000000000000000000VW1";

#[derive(Debug, Clone)]
pub struct Group {
    pub group_id: String,
    /// None for the built-in groups.
    pub agency_id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub permissions: Vec<Permission>,
    pub created_at: DateTime<Utc>,
}

impl Group {
    pub fn built_in(&self) -> bool {
        self.agency_id.is_none()
    }

    pub fn grants(&self, p: Permission) -> bool {
        self.permissions.contains(&p)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberStatus {
    Active,
    Inactive,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "ACTIVE",
            MemberStatus::Inactive => "INACTIVE",
        }
    }

    pub fn parse(s: &str) -> Option<MemberStatus> {
        match s {
            "ACTIVE" => Some(MemberStatus::Active),
            "INACTIVE" => Some(MemberStatus::Inactive),
            _ => None,
        }
    }
}

/// A member of an agency's staff.
#[derive(Debug, Clone)]
pub struct Member {
    pub member_id: String,
    pub agency_id: String,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub department: String,
    pub description: Option<String>,
    pub group_id: String,
    pub status: MemberStatus,
    /// argon2 PHC string.
    pub password_hash: String,
    pub password_changed_at: DateTime<Utc>,
    /// Set by an admin's reset: the next act must be a password change.
    pub must_change: bool,
    pub failed_logins: u32,
    pub locked: bool,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A token scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Inquiry,
    Report,
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Inquiry, Scope::Report, Scope::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Inquiry => "inquiry",
            Scope::Report => "report",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// A space-separated list; None when a word is unknown. An empty or
    /// absent list is every scope.
    pub fn parse_list(s: Option<&str>) -> Option<Vec<Scope>> {
        let words: Vec<&str> = s.unwrap_or("").split_whitespace().collect();
        if words.is_empty() {
            return Some(Scope::ALL.to_vec());
        }
        let mut out = Vec::new();
        for w in words {
            let sc = Scope::parse(w)?;
            if !out.contains(&sc) {
                out.push(sc);
            }
        }
        Some(out)
    }

    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Who a session speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Member(String),
    /// A system's API key: the agency itself.
    ApiKey(String),
}

/// What tokens are issued under; ending it ends every token of it.
#[derive(Debug, Clone)]
pub struct Session {
    pub session_id: String,
    pub subject: Subject,
    pub agency_id: String,
    pub scopes: Vec<Scope>,
    /// The one live refresh token's id (rotation replaces it).
    pub refresh_jti: Option<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// An agency's system credential: the key is looked up by its SHA-256, the
/// secret checked against its argon2 hash; neither is kept in clear.
#[derive(Debug, Clone)]
pub struct ApiKey {
    pub api_key_id: String,
    pub agency_id: String,
    pub name: String,
    /// The key's first characters, to tell keys apart in a listing.
    pub prefix: String,
    pub key_hash: String,
    pub secret_hash: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new password put in place, in one transaction.
#[derive(Debug, Clone)]
pub struct PasswordChange {
    pub member_id: String,
    pub password_hash: String,
    pub changed_at: DateTime<Utc>,
    /// Set by an admin's reset (the temporary password), cleared by A5.
    pub must_change: bool,
    /// The replaced password, kept for the no-reuse rule (None when it was a
    /// temporary one).
    pub retired_hash: Option<String>,
}

/// A slice of a listing and the count of the whole.
#[derive(Debug, Clone)]
pub struct Slice<T> {
    pub items: Vec<T>,
    pub total: u64,
}

#[async_trait]
pub trait StaffRepo: Send + Sync {
    /// A taken agency code is a `Conflict`.
    async fn insert_agency(&self, a: &Agency) -> CoreResult<()>;
    async fn agency(&self, agency_id: &str) -> CoreResult<Option<Agency>>;
    async fn agency_by_code(&self, code: &str) -> CoreResult<Option<Agency>>;
    /// A taken e-mail is a `Conflict`.
    async fn insert_member(&self, m: &Member) -> CoreResult<()>;
    async fn member(&self, member_id: &str) -> CoreResult<Option<Member>>;
    async fn member_by_email(&self, email: &str) -> CoreResult<Option<Member>>;
    async fn group(&self, group_id: &str) -> CoreResult<Option<Group>>;
    async fn insert_session(&self, s: &Session) -> CoreResult<()>;
    async fn session(&self, session_id: &str) -> CoreResult<Option<Session>>;
    /// The token signing key, made once and shared by every node.
    async fn signing_key(&self) -> CoreResult<Vec<u8>>;

    /// Agencies, oldest first.
    async fn agencies(&self, offset: u64, limit: u32) -> CoreResult<Slice<Agency>>;
    /// Name and type of a stored agency (G2).
    async fn update_agency(&self, a: &Agency) -> CoreResult<()>;
    /// Approval and activity (G3), each only if given, written alone so a
    /// concurrent G2 or other G3 is not undone.
    async fn set_agency_state(
        &self,
        agency_id: &str,
        approval: Option<Approval>,
        active: Option<bool>,
    ) -> CoreResult<()>;

    /// One more wrong password, counted in the row itself (two racing
    /// failures both count); `limit` reached locks the member. Answers
    /// whether it is locked now.
    /// None when the member was locked already (nothing counted).
    async fn login_failed(&self, member_id: &str, limit: u32) -> CoreResult<Option<bool>>;
    /// The count back to 0 and the lock off (a right password, or M4);
    /// `login_at`, when a session opened, is the last login.
    async fn clear_failures(
        &self,
        member_id: &str,
        login_at: Option<DateTime<Utc>>,
    ) -> CoreResult<()>;
    /// The new password, the replaced one into the history, the count and
    /// the lock cleared, all at once.
    async fn change_password(&self, c: &PasswordChange) -> CoreResult<()>;
    /// The member's last `n` replaced passwords, newest first.
    async fn password_history(&self, member_id: &str, n: u32) -> CoreResult<Vec<String>>;
    /// An agency's members, oldest first.
    async fn members_of(
        &self,
        agency_id: &str,
        offset: u64,
        limit: u32,
    ) -> CoreResult<Slice<Member>>;
    /// Profile, group and status of a stored member.
    async fn update_member(&self, m: &Member) -> CoreResult<()>;
    /// False when there was no such member.
    async fn delete_member(&self, member_id: &str) -> CoreResult<bool>;

    /// The built-in groups and those of `agency_id`, built-ins first.
    async fn groups_for(&self, agency_id: &str) -> CoreResult<Vec<Group>>;
    async fn insert_group(&self, g: &Group) -> CoreResult<()>;
    async fn update_group(&self, g: &Group) -> CoreResult<()>;
    /// Deletes an agency's group unless a member is in it; false when
    /// members hold it (the group stays).
    async fn delete_group(&self, group_id: &str) -> CoreResult<bool>;

    /// A taken key hash is a `Conflict`.
    async fn insert_api_key(&self, k: &ApiKey) -> CoreResult<()>;
    async fn api_keys_of(&self, agency_id: &str) -> CoreResult<Vec<ApiKey>>;
    async fn api_key_by_hash(&self, key_hash: &str) -> CoreResult<Option<ApiKey>>;
    /// Revokes a live key of the agency; false when it has none such.
    async fn revoke_api_key(
        &self,
        agency_id: &str,
        api_key_id: &str,
        at: DateTime<Utc>,
    ) -> CoreResult<bool>;
    async fn api_key_used(&self, api_key_id: &str, at: DateTime<Utc>) -> CoreResult<()>;

    /// Rotation: the session's refresh id moves from `old` to `new` (and its
    /// end to `expires_at`) only if it is still `old` and the session live,
    /// so of two racing refreshes one wins.
    async fn rotate_refresh(
        &self,
        session_id: &str,
        old: &str,
        new: &str,
        expires_at: DateTime<Utc>,
    ) -> CoreResult<bool>;
    /// Ends a session: every token of it is refused from now, on every node.
    async fn revoke_session(&self, session_id: &str, at: DateTime<Utc>) -> CoreResult<()>;
    /// Ends every live session of a member or an API key.
    async fn revoke_sessions_of(&self, subject_id: &str, at: DateTime<Utc>) -> CoreResult<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_lists_default_to_all_and_refuse_unknown_words() {
        assert_eq!(Scope::parse_list(None).unwrap().len(), 3);
        assert_eq!(
            Scope::parse_list(Some("inquiry")).unwrap(),
            vec![Scope::Inquiry]
        );
        assert!(Scope::parse_list(Some("inquiry write")).is_none());
        assert_eq!(
            Scope::join(&[Scope::Inquiry, Scope::Admin]),
            "inquiry admin"
        );
        for g in [ADMIN_GROUP, MANAGER_GROUP, VIEWER_GROUP] {
            assert!(crate::oris::ids::is_ulid(g), "{g}");
        }
    }

    #[test]
    fn words_round_trip() {
        for t in AgencyType::ALL {
            assert_eq!(AgencyType::parse(t.as_str()), Some(t));
        }
        for p in Permission::ALL {
            assert_eq!(Permission::parse(p.as_str()), Some(p));
        }
    }
}
