//! Permission groups (P1): the built-in ADMIN, MANAGER and VIEWER shared by
//! every agency, and an agency's own. Built-ins are never changed.

use super::agencies::person;
use super::staff::{Group, Permission};
use super::{OrisResult, Principal, Refusal, Registry};
use crate::CoreError;

/// A group's name, description and permissions (POST and PUT).
#[derive(Debug, Clone)]
pub struct GroupSpec {
    pub name: String,
    pub description: Option<String>,
    pub permissions: Vec<Permission>,
}

impl Registry {
    /// P1 list: the built-ins, then the caller's agency's own.
    pub async fn groups(&self, p: &Principal) -> OrisResult<Vec<Group>> {
        Ok(self.repo.groups_for(&p.agency.agency_id).await?)
    }

    /// A built-in or one of the caller's agency's; another agency's is
    /// GROUP_NOT_FOUND, as if it did not exist.
    pub async fn group_detail(&self, p: &Principal, group_id: &str) -> OrisResult<Group> {
        self.repo
            .group(group_id)
            .await?
            .filter(|g| g.built_in() || g.agency_id.as_deref() == Some(&p.agency.agency_id))
            .ok_or(Refusal::GroupNotFound)
    }

    pub async fn create_group(&self, p: &Principal, spec: GroupSpec) -> OrisResult<Group> {
        person(p)?;
        let g = Group {
            group_id: self.new_id(),
            agency_id: Some(p.agency.agency_id.clone()),
            name: spec.name,
            description: spec.description,
            permissions: spec.permissions,
            created_at: self.now(),
        };
        self.repo.insert_group(&g).await?;
        Ok(g)
    }

    /// PUT replaces name, description and permissions; a built-in →
    /// GROUP_UPDATE_FORBIDDEN.
    pub async fn update_group(
        &self,
        p: &Principal,
        group_id: &str,
        spec: GroupSpec,
    ) -> OrisResult<Group> {
        person(p)?;
        let mut g = self.group_detail(p, group_id).await?;
        if g.built_in() {
            return Err(Refusal::GroupUpdateForbidden);
        }
        g.name = spec.name;
        g.description = spec.description;
        g.permissions = spec.permissions;
        self.repo.update_group(&g).await?;
        Ok(g)
    }

    /// DELETE: a built-in, or a group members are still in →
    /// GROUP_DELETE_FORBIDDEN.
    pub async fn delete_group(&self, p: &Principal, group_id: &str) -> OrisResult<()> {
        person(p)?;
        let g = self.group_detail(p, group_id).await?;
        if g.built_in() {
            return Err(Refusal::GroupDeleteForbidden);
        }
        match self.repo.delete_group(group_id).await {
            Ok(true) => Ok(()),
            // Members hold it (or one joined meanwhile: the foreign key).
            Ok(false) | Err(CoreError::Invalid(_)) => Err(Refusal::GroupDeleteForbidden),
            Err(e) => Err(e.into()),
        }
    }
}
