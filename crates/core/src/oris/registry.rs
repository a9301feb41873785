//! The registry service: what the ORIS face and the sandbox call. It holds
//! the storage, the world (for institutions and ledger ties) and the clock.

use super::staff::{Agency, Approval, Group, Member, MemberStatus, Permission, Scope, Session};
use super::terms::{current, TermType};
use super::{OrisRepo, OrisResult, Refusal};
use crate::clock::Clock;
use crate::world::World;
use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

/// How long an access token lives.
pub const ACCESS_TTL: Duration = Duration::minutes(30);
/// How long a session (its refresh token) lives.
pub const REFRESH_TTL: Duration = Duration::hours(12);

#[derive(Clone)]
pub struct Registry {
    pub repo: Arc<dyn OrisRepo>,
    pub world: World,
    pub clock: Clock,
    /// Lax mode: `inquiry` is every scope (configuration only).
    pub lax_scopes: bool,
}

/// The caller a token speaks for, loaded fresh on every call.
#[derive(Debug, Clone)]
pub struct Principal {
    pub session: Session,
    pub agency: Agency,
    /// None for an API key's token.
    pub member: Option<Member>,
    pub group: Option<Group>,
}

impl Principal {
    pub fn member_id(&self) -> Option<&str> {
        self.member.as_ref().map(|m| m.member_id.as_str())
    }

    pub fn is_operator(&self) -> bool {
        self.agency.is_operator()
    }

    /// The caller's own agency, or any agency for the operator.
    pub fn may_act_on(&self, agency_id: &str) -> bool {
        self.is_operator() || self.agency.agency_id == agency_id
    }
}

/// What one call needs of its caller, checked in this order: scope, agency,
/// member, pledge, permission.
#[derive(Debug, Clone, Copy)]
pub struct Need {
    /// None: any token of the registry will do.
    pub scope: Option<Scope>,
    pub permission: Option<Permission>,
    /// False only for the calls a member must reach before signing the
    /// pledge (term reads and the pledge itself).
    pub pledge: bool,
}

impl Need {
    pub const fn of(scope: Scope, permission: Option<Permission>) -> Need {
        Need {
            scope: Some(scope),
            permission,
            pledge: true,
        }
    }

    /// Any scope, no permission.
    pub const fn any() -> Need {
        Need {
            scope: None,
            permission: None,
            pledge: true,
        }
    }

    pub const fn without_pledge(mut self) -> Need {
        self.pledge = false;
        self
    }
}

impl Registry {
    pub fn new(repo: Arc<dyn OrisRepo>, world: World) -> Registry {
        let clock = world.clock.clone();
        Registry {
            repo,
            world,
            clock,
            lax_scopes: false,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn new_id(&self) -> String {
        super::ids::new_ulid(self.now())
    }

    /// The live session of a token, with its agency, member and group.
    pub async fn principal(&self, session_id: &str) -> OrisResult<Principal> {
        let session = self
            .repo
            .session(session_id)
            .await?
            .filter(|s| s.revoked_at.is_none())
            .ok_or(Refusal::SessionEnded)?;
        let agency = self
            .repo
            .agency(&session.agency_id)
            .await?
            .ok_or(Refusal::SessionEnded)?;
        let (member, group) = match &session.subject {
            super::staff::Subject::Member(id) => {
                let m = self.repo.member(id).await?.ok_or(Refusal::SessionEnded)?;
                let g = self.repo.group(&m.group_id).await?;
                (Some(m), g)
            }
            super::staff::Subject::ApiKey(_) => (None, None),
        };
        Ok(Principal {
            session,
            agency,
            member,
            group,
        })
    }

    /// Check one call's needs against its caller.
    pub async fn authorize(&self, p: &Principal, need: Need) -> OrisResult<()> {
        let scoped = need.scope.is_none_or(|sc| {
            p.session.scopes.contains(&sc)
                || (self.lax_scopes && p.session.scopes.contains(&Scope::Inquiry))
        });
        if !scoped {
            return Err(Refusal::ScopeMissing);
        }
        agency_usable(&p.agency)?;
        let Some(member) = &p.member else {
            // An API key's token is the agency: no pledge, no group.
            return Ok(());
        };
        if member.status != MemberStatus::Active {
            return Err(Refusal::MemberNotActive);
        }
        if need.pledge {
            self.pledged(member).await?;
        }
        match (need.permission, &p.group) {
            (None, _) => Ok(()),
            (Some(perm), Some(g)) if g.grants(perm) => Ok(()),
            _ => Err(Refusal::MemberAccessDenied),
        }
    }

    /// The member signed the pledge in force (none in force: nothing to sign).
    async fn pledged(&self, member: &Member) -> OrisResult<()> {
        let terms = self.repo.terms().await?;
        let Some(term) = current(&terms, TermType::Pledge, self.now()) else {
            return Ok(());
        };
        match self
            .repo
            .member_consent(&member.member_id, &term.term_id)
            .await?
        {
            Some(_) => Ok(()),
            None => Err(Refusal::ConsentRequired(TermType::Pledge)),
        }
    }
}

/// Gate 1: an agency must be approved and active.
pub fn agency_usable(a: &Agency) -> OrisResult<()> {
    if a.approval != Approval::Approved {
        return Err(Refusal::AgencyNotApproved);
    }
    if !a.active {
        return Err(Refusal::AgencyNotActive);
    }
    Ok(())
}
