//! The OBP service: the store behind OBP, the world it shares, and the
//! configuration (`FINHUB_OBP_*`).

use super::roles::{self, RoleScope};
use super::ObpRepo;
use crate::world::World;
use std::sync::Arc;

/// `FINHUB_OBP_*`: who is a super admin, what a new user holds, and
/// whether the customer firehose is open.
#[derive(Debug, Clone)]
pub struct ObpConfig {
    /// Usernames that may grant any entitlement (OBP's `super_admin_user_ids`).
    pub super_admin_usernames: Vec<String>,
    /// System-level roles every new user gets (`new_user_entitlement_list`).
    pub new_user_entitlements: Vec<String>,
    /// OBP's `allow_customer_firehose`.
    pub allow_customer_firehose: bool,
}

impl Default for ObpConfig {
    fn default() -> Self {
        ObpConfig {
            super_admin_usernames: Vec::new(),
            new_user_entitlements: Vec::new(),
            allow_customer_firehose: true,
        }
    }
}

impl ObpConfig {
    /// Refuse a new-user role that is unknown or bank-level (start-up stops).
    pub fn check(&self) -> Result<(), String> {
        for name in &self.new_user_entitlements {
            match roles::scope(name) {
                Some(RoleScope::System) => {}
                Some(RoleScope::Bank) => {
                    return Err(format!(
                        "FINHUB_OBP_NEW_USER_ENTITLEMENTS: {name} is a bank-level role; only system-level roles can be given to every new user"
                    ))
                }
                None => {
                    return Err(format!(
                        "FINHUB_OBP_NEW_USER_ENTITLEMENTS: {name} is not an OBP role"
                    ))
                }
            }
        }
        Ok(())
    }
}

#[derive(Clone)]
pub struct Obp {
    pub repo: Arc<dyn ObpRepo>,
    pub world: World,
    pub config: Arc<ObpConfig>,
}

impl Obp {
    pub fn new(repo: Arc<dyn ObpRepo>, world: World, config: ObpConfig) -> Obp {
        Obp {
            repo,
            world,
            config: Arc::new(config),
        }
    }

    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.world.clock.now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_user_roles_must_be_system_roles() {
        let mut c = ObpConfig::default();
        assert!(c.check().is_ok());
        c.new_user_entitlements = vec!["CanGetAnyKycMedia".into()];
        assert!(c.check().is_ok());
        c.new_user_entitlements = vec!["CanCreateCustomer".into()];
        assert!(c.check().unwrap_err().contains("bank-level"));
        c.new_user_entitlements = vec!["CanFly".into()];
        assert!(c.check().unwrap_err().contains("not an OBP role"));
    }
}
