//! OBP's role catalogue: each role is granted at one bank (bank-level) or
//! with an empty bank id (system-level).

/// Where a role is granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleScope {
    Bank,
    System,
}

/// Every role a grant accepts (reference §6, the two entitlement roles, and
/// OBP's older firehose name, which grants nothing more here).
pub const ROLES: &[(&str, RoleScope)] = {
    use RoleScope::{Bank as B, System as S};
    &[
        ("CanCreateAccount", B),
        ("CanAddSocialMediaHandle", B),
        ("CanGetSocialMediaHandles", B),
        ("CanCreateCustomerAddress", B),
        ("CanGetCustomerAddress", B),
        ("CanDeleteCustomerAddress", B),
        ("CanCreateCustomer", B),
        ("CanCreateCustomerAtAnyBank", S),
        ("CanGetCustomer", B),
        ("CanUseCustomerFirehoseAtAnyBank", S),
        ("CanUseFirehoseAtAnyBank", S),
        ("CanCreateTaxResidence", B),
        ("CanGetTaxResidence", B),
        ("CanDeleteTaxResidence", B),
        ("CanCreateCustomerAttributeAtOneBank", B),
        ("CanCreateCustomerAttributeAtAnyBank", S),
        ("CanUpdateCustomerAttributeAtOneBank", B),
        ("CanUpdateCustomerAttributeAtAnyBank", S),
        ("CanGetCustomerAttributesAtOneBank", B),
        ("CanGetCustomerAttributesAtAnyBank", S),
        ("CanGetCustomerAttributeAtOneBank", B),
        ("CanGetCustomerAttributeAtAnyBank", S),
        ("CanDeleteCustomerAttributeAtOneBank", B),
        ("CanDeleteCustomerAttributeAtAnyBank", S),
        ("CanCreateCustomerAttributeDefinitionAtOneBank", B),
        ("CanGetCustomerAttributeDefinitionAtOneBank", B),
        ("CanDeleteCustomerAttributeDefinitionAtOneBank", B),
        ("CanCreateUserCustomerLink", B),
        ("CanCreateUserCustomerLinkAtAnyBank", S),
        ("CanGetUserCustomerLink", B),
        ("CanDeleteUserCustomerLink", B),
        ("CanUpdateCustomerEmail", B),
        ("CanUpdateCustomerNumber", B),
        ("CanUpdateCustomerMobilePhoneNumber", B),
        ("CanUpdateCustomerIdentity", B),
        ("CanUpdateCustomerBranch", B),
        ("CanUpdateCustomerData", B),
        ("CanUpdateCustomerCreditLimit", B),
        ("CanUpdateCustomerCreditRatingAndSource", B),
        ("CanUpdateCustomerCreditRatingAndSourceAtAnyBank", S),
        ("CanCreateCustomerMessage", B),
        ("CanGetCustomerMessages", B),
        ("CanAddKycCheck", B),
        ("CanAddKycDocument", B),
        ("CanAddKycMedia", B),
        ("CanAddKycStatus", B),
        ("CanGetAnyKycChecks", S),
        ("CanGetAnyKycDocuments", S),
        ("CanGetAnyKycMedia", S),
        ("CanGetAnyKycStatuses", S),
        ("CanCreateEntitlementAtOneBank", B),
        ("CanCreateEntitlementAtAnyBank", S),
    ]
};

/// A role's scope, or None for a name OBP does not know.
pub fn scope(name: &str) -> Option<RoleScope> {
    ROLES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// The names, comma-separated, for OBP-10007's list of possible roles.
pub fn all_names() -> String {
    ROLES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_scoped() {
        let mut names: Vec<_> = ROLES.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ROLES.len());
        assert_eq!(scope("CanGetAnyKycMedia"), Some(RoleScope::System));
        assert_eq!(scope("CanCreateCustomer"), Some(RoleScope::Bank));
        assert_eq!(scope("CanFly"), None);
    }
}
