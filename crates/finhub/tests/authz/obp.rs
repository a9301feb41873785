//! The OBP face's authorization matrix: every endpoint without a login,
//! every role-guarded endpoint without its role, with each of its roles
//! held at another bank only, and with each held where it counts. A denial
//! is 403 OBP-20006 naming every role of the endpoint; one bank's roles
//! never reach another bank. (Ids in the paths need not exist: OBP checks
//! roles before it looks anything up.)

use axum::http::Method;
use finhub_core::obp::roles::{scope, RoleScope};
use finhub_testkit::obp::{assert_obp, obp_app, ObpUser, OBP_BANK, OTHER_BANK, V4};
use finhub_testkit::Resp;
use serde_json::json;
use std::collections::BTreeSet;

/// (method, path under /obp/v4.0.0 with `{B}` for the bank, roles: any one of).
const GUARDED: &[(&str, &str, &[&str])] = &[
    (
        "POST",
        "/banks/{B}/customers",
        &["CanCreateCustomer", "CanCreateCustomerAtAnyBank"],
    ),
    ("GET", "/banks/{B}/customers/c1", &["CanGetCustomer"]),
    (
        "POST",
        "/banks/{B}/customers/customer-number",
        &["CanGetCustomer"],
    ),
    ("GET", "/banks/{B}/customers", &["CanGetCustomer"]),
    (
        "GET",
        "/banks/{B}/firehose/customers",
        &["CanUseCustomerFirehoseAtAnyBank"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/email",
        &["CanUpdateCustomerEmail"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/number",
        &["CanUpdateCustomerNumber"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/mobile-number",
        &["CanUpdateCustomerMobilePhoneNumber"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/identity",
        &["CanUpdateCustomerIdentity"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/credit-limit",
        &["CanUpdateCustomerCreditLimit"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/credit-rating-and-source",
        &[
            "CanUpdateCustomerCreditRatingAndSource",
            "CanUpdateCustomerCreditRatingAndSourceAtAnyBank",
        ],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/branch",
        &["CanUpdateCustomerBranch"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/data",
        &["CanUpdateCustomerData"],
    ),
    (
        "POST",
        "/banks/{B}/customers/c1/attribute",
        &[
            "CanCreateCustomerAttributeAtOneBank",
            "CanCreateCustomerAttributeAtAnyBank",
        ],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/attributes/a1",
        &[
            "CanUpdateCustomerAttributeAtOneBank",
            "CanUpdateCustomerAttributeAtAnyBank",
        ],
    ),
    (
        "GET",
        "/banks/{B}/customers/c1/attributes",
        &[
            "CanGetCustomerAttributesAtOneBank",
            "CanGetCustomerAttributesAtAnyBank",
        ],
    ),
    (
        "GET",
        "/banks/{B}/customers/c1/attributes/a1",
        &[
            "CanGetCustomerAttributeAtOneBank",
            "CanGetCustomerAttributeAtAnyBank",
        ],
    ),
    (
        "DELETE",
        "/banks/{B}/customers/attributes/a1",
        &[
            "CanDeleteCustomerAttributeAtOneBank",
            "CanDeleteCustomerAttributeAtAnyBank",
        ],
    ),
    (
        "PUT",
        "/banks/{B}/attribute-definitions/customer",
        &["CanCreateCustomerAttributeDefinitionAtOneBank"],
    ),
    (
        "GET",
        "/banks/{B}/attribute-definitions/customer",
        &["CanGetCustomerAttributeDefinitionAtOneBank"],
    ),
    (
        "DELETE",
        "/banks/{B}/attribute-definitions/d1/customer",
        &["CanDeleteCustomerAttributeDefinitionAtOneBank"],
    ),
    (
        "POST",
        "/banks/{B}/user_customer_links",
        &[
            "CanCreateUserCustomerLink",
            "CanCreateUserCustomerLinkAtAnyBank",
        ],
    ),
    (
        "DELETE",
        "/banks/{B}/user_customer_links/l1",
        &["CanDeleteUserCustomerLink"],
    ),
    (
        "GET",
        "/banks/{B}/user_customer_links/customers/c1",
        &["CanGetUserCustomerLink"],
    ),
    (
        "GET",
        "/banks/{B}/user_customer_links/users/u1",
        &["CanGetUserCustomerLink"],
    ),
    (
        "POST",
        "/banks/{B}/customers/c1/address",
        &["CanCreateCustomerAddress"],
    ),
    (
        "GET",
        "/banks/{B}/customers/c1/addresses",
        &["CanGetCustomerAddress"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/addresses/ad1",
        &["CanCreateCustomer"],
    ),
    (
        "DELETE",
        "/banks/{B}/customers/c1/addresses/ad1",
        &["CanDeleteCustomerAddress"],
    ),
    (
        "POST",
        "/banks/{B}/customers/c1/tax-residence",
        &["CanCreateTaxResidence"],
    ),
    (
        "GET",
        "/banks/{B}/customers/c1/tax-residences",
        &["CanGetTaxResidence"],
    ),
    (
        "DELETE",
        "/banks/{B}/customers/c1/tax_residencies/t1",
        &["CanDeleteTaxResidence"],
    ),
    (
        "POST",
        "/banks/{B}/customers/c1/social_media_handles",
        &["CanAddSocialMediaHandle"],
    ),
    (
        "GET",
        "/banks/{B}/customers/c1/social_media_handles",
        &["CanGetSocialMediaHandles"],
    ),
    (
        "POST",
        "/banks/{B}/customers/c1/messages",
        &["CanCreateCustomerMessage"],
    ),
    (
        "GET",
        "/banks/{B}/customers/c1/messages",
        &["CanGetCustomerMessages"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/kyc_check/k1",
        &["CanAddKycCheck"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/kyc_documents/k1",
        &["CanAddKycDocument"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/kyc_media/k1",
        &["CanAddKycMedia"],
    ),
    (
        "PUT",
        "/banks/{B}/customers/c1/kyc_statuses",
        &["CanAddKycStatus"],
    ),
    ("GET", "/customers/c1/kyc_checks", &["CanGetAnyKycChecks"]),
    (
        "GET",
        "/customers/c1/kyc_documents",
        &["CanGetAnyKycDocuments"],
    ),
    (
        "GET",
        "/customers/c1/kyc_statuses",
        &["CanGetAnyKycStatuses"],
    ),
    ("GET", "/customers/c1/kyc_media", &["CanGetAnyKycMedia"]),
];

/// Endpoints that need a login and no role.
const LOGIN_ONLY: &[(&str, &str)] = &[
    ("POST", "/banks/{B}/meetings"),
    ("GET", "/banks/{B}/meetings"),
    ("GET", "/banks/{B}/meetings/m1"),
    ("POST", "/banks/{B}/customer/c1/messages"),
    ("GET", "/banks/{B}/customer/messages"),
    ("GET", "/banks/{B}/crm-events"),
    ("POST", "/banks/{B}/search/customers/mobile-phone-number"),
    ("GET", "/users/current/customers"),
    ("POST", "/banks/{B}/accounts"),
    ("PUT", "/banks/{B}/accounts/acc1"),
    ("GET", "/users/current"),
    ("GET", "/my/entitlements"),
    ("POST", "/users/u1/entitlements"),
];

fn path(p: &str) -> String {
    format!("{V4}{}", p.replace("{B}", OBP_BANK))
}

async fn call(u: &ObpUser<'_>, method: &str, p: &str) -> Resp {
    let m = Method::from_bytes(method.as_bytes()).unwrap();
    let body = (m != Method::GET && m != Method::DELETE).then(|| json!({}));
    u.call(m, &path(p), body.as_ref()).await
}

fn is_role_denial(r: &Resp) -> bool {
    r.status.as_u16() == 403 && r.text.contains("OBP-20006")
}

#[tokio::test]
async fn no_login_is_401_everywhere() {
    let app = obp_app().await;
    let all = (GUARDED.iter().map(|(m, p, _)| (*m, *p))).chain(LOGIN_ONLY.iter().copied());
    for (m, p) in all {
        let method = Method::from_bytes(m.as_bytes()).unwrap();
        let body = (method == Method::POST || method == Method::PUT).then(|| json!({}));
        let r = app.call(&method, &path(p), None, body.as_ref()).await;
        assert_obp(&r, 401, "OBP-20001");
        assert!(r.headers.contains_key("www-authenticate"), "{m} {p}");
    }
}

#[tokio::test]
async fn without_its_role_every_guarded_endpoint_is_403_naming_them_all() {
    let app = obp_app().await;
    let nobody = app.obp_user("nobody").await;
    for (m, p, roles) in GUARDED {
        let r = call(&nobody, m, p).await;
        assert_obp(&r, 403, "OBP-20006: User is missing one or more roles: ");
        let msg = r.body["message"].as_str().unwrap();
        for role in *roles {
            assert!(msg.contains(role), "{m} {p}: {msg} lacks {role}");
        }
    }
    // Login-only endpoints never ask for a role.
    for (m, p) in LOGIN_ONLY {
        assert!(!is_role_denial(&call(&nobody, m, p).await), "{m} {p}");
    }
}

/// Each role: held at the other bank it opens nothing here; held where it
/// counts (this bank, or "" for a system role) it opens every endpoint
/// that lists it.
#[tokio::test]
async fn a_role_opens_its_endpoints_at_its_bank_only() {
    let app = obp_app().await;
    let admin = app.obp_admin().await;
    let roles: BTreeSet<&str> = GUARDED
        .iter()
        .flat_map(|(_, _, r)| r.iter().copied())
        .collect();
    for (i, role) in roles.iter().enumerate() {
        let user = app.obp_user(&format!("holder{i}")).await;
        let listing: Vec<_> = GUARDED
            .iter()
            .filter(|(_, _, r)| r.contains(role))
            .collect();
        if scope(role) == Some(RoleScope::Bank) {
            admin.grant(&user.user_id, role, OTHER_BANK).await;
            for (m, p, _) in &listing {
                let r = call(&user, m, p).await;
                assert!(
                    is_role_denial(&r),
                    "{role} at {OTHER_BANK} opened {m} {p}: {}",
                    r.text
                );
            }
        }
        admin.grant_role(&user.user_id, role).await;
        for (m, p, _) in &listing {
            let r = call(&user, m, p).await;
            assert!(
                !is_role_denial(&r),
                "{role} did not open {m} {p}: {}",
                r.text
            );
            assert_ne!(r.status.as_u16(), 500, "{m} {p}: {}", r.text);
        }
    }
}

/// Create Account for another user needs CanCreateAccount at the bank.
#[tokio::test]
async fn creating_an_account_for_someone_else_needs_can_create_account() {
    let app = obp_app().await;
    let admin = app.obp_admin().await;
    let staff = app.obp_user("staff").await;
    let other = app.obp_user("other").await;
    let body = json!({"user_id": other.user_id, "label": "x", "product_code": "p",
        "balance": {"currency": "KRW", "amount": "0"}, "branch_id": "b", "account_routings": []});
    let p = path("/banks/{B}/accounts");
    let r = staff.post(&p, &body).await;
    assert_obp(&r, 403, "OBP-20006");
    assert!(r.text.contains("CanCreateAccount"), "{}", r.text);
    admin
        .grant(&staff.user_id, "CanCreateAccount", OTHER_BANK)
        .await;
    assert!(is_role_denial(&staff.post(&p, &body).await));
    admin.grant_role(&staff.user_id, "CanCreateAccount").await;
    let r = staff.post(&p, &body).await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.text);
}
