//! Telecom contracts at the carriers, and e-finance prepaid instruments and
//! payment accounts at the e-finance companies.

use crate::chunk::{Prod, TelecomState};
use crate::products::{before_window, hex_id, open, pick_institution, Holder, Open, Opened};
use chrono::{DateTime, Utc};
use finhub_core::account::AccountKind;
use finhub_core::institution::InstitutionKind;
use finhub_core::product::efin::{AutoCharge, ChargeOption, PayMethod, PayType};
use finhub_core::product::telecom::{TelecomService, TelecomStatus};
use finhub_core::product::{EfinPrepaidTerms, PayAccountTerms, TelecomTerms};
use finhub_core::world::generate_account_num;
use rand::rngs::StdRng;
use rand::Rng;

/// What a contract may owe at most: a few months of bills.
const TELECOM_FLOOR: i64 = -3_000_000;

/// Telecom contracts: about 45 % have their mobile line at a carrier of the
/// world (the rest pay one outside it, as before), a fifth of them an
/// internet line there too; whoever holds everything has both at one
/// carrier.
pub(crate) fn telecom(rng: &mut StdRng, h: &Holder, out: &mut Vec<Opened>) {
    if !(h.full || rng.gen_bool(0.45)) {
        return;
    }
    let carrier = pick_institution(rng, InstitutionKind::Telecom);
    let last4 = h
        .person
        .phone
        .as_deref()
        .map_or("0000".to_owned(), |p| p[p.len() - 4..].to_owned());
    let mobile = format!("010-****-{last4}");
    out.push(contract(rng, h, &carrier, TelecomService::Mobile, mobile));
    if h.full || rng.gen_bool(0.2) {
        let line = format!("02-****-{:04}", rng.gen_range(0..10_000));
        out.push(contract(rng, h, &carrier, TelecomService::Internet, line));
    }
}

fn contract(
    rng: &mut StdRng,
    h: &Holder,
    carrier: &(String, &'static str),
    service: TelecomService,
    telecom_num: String,
) -> Opened {
    let (product, fee) = match service {
        TelecomService::Mobile => (
            [
                "5G 프리미어 에센셜",
                "5G 베이직플러스",
                "LTE 데이터 33",
                "5G 슬림",
            ][rng.gen_range(0..4)],
            rng.gen_range(33..=95) * 1_000 + 500,
        ),
        _ => (
            [
                "기가인터넷 500M",
                "인터넷 슬림 100M",
                "기가인터넷 1G + IPTV",
            ][rng.gen_range(0..3)],
            rng.gen_range(22..=45) * 1_000,
        ),
    };
    let o = Open {
        org_code: carrier.0.clone(),
        inst: carrier.1,
        kind: AccountKind::Telecom,
        product: format!("{} {product}", carrier.1),
        opened_us: before_window(rng, h, 40..2_500),
        floor: TELECOM_FLOOR,
        opening: 0,
    };
    let account = open(rng, h, o, |id| generate_account_num(None, id));
    let bill_day = [1, 5, 10][rng.gen_range(0..3)];
    let terms = TelecomTerms {
        telecom_num,
        service,
        status: TelecomStatus::Active,
        bill_day,
        pay_day: bill_day + rng.gen_range(10..=15),
        pay_account_id: Some(h.payer().account_id.clone()),
        micro_limit_minor: [300_000, 500_000, 1_000_000][rng.gen_range(0..3)],
    };
    Opened {
        account,
        inst: carrier.1,
        prod: Prod::Telecom(Box::new(TelecomState {
            terms,
            fee,
            billed: 0,
            micro: 0,
        })),
    }
}

/// E-finance: a prepaid instrument for about a fifth of people, a payment
/// account for about a sixth (mostly at the company of their instrument);
/// whoever holds everything has both at one company.
pub(crate) fn efin(rng: &mut StdRng, h: &Holder, card: Option<&Opened>, out: &mut Vec<Opened>) {
    let company = pick_institution(rng, InstitutionKind::Efin);
    let prepaid = (h.full || rng.gen_bool(0.2)).then(|| instrument(rng, h, &company));
    if h.full || rng.gen_bool(if prepaid.is_some() { 0.5 } else { 0.08 }) {
        let pay = pay_account(rng, h, &company, prepaid.as_ref(), card);
        out.extend(prepaid);
        out.push(pay);
    } else {
        out.extend(prepaid);
    }
}

fn fob_name(company: &str) -> &'static str {
    match company {
        "카카오페이" => "카카오페이머니",
        _ => "네이버페이머니",
    }
}

fn instrument(rng: &mut StdRng, h: &Holder, company: &(String, &'static str)) -> Opened {
    let name = fob_name(company.1);
    let o = Open {
        org_code: company.0.clone(),
        inst: company.1,
        kind: AccountKind::Prepaid,
        product: name.into(),
        opened_us: before_window(rng, h, 30..2_000),
        floor: 0,
        opening: rng.gen_range(0..=10) * 10_000,
    };
    // One account per instrument, numbered by the instrument's id: the
    // asset a consent names (`fob_id`, mydata-sandbox.md §3) is then also
    // the `account_id` the APIs take beside it.
    let account = open(rng, h, o, |id| hex_id("FOB", id, 12));
    let auto_charge = if h.full || rng.gen_bool(0.5) {
        vec![AutoCharge {
            account_id: h.payer().account_id.clone(),
            option: ChargeOption::Monthly,
            day: Some(rng.gen_range(1..=28)),
            base_minor: None,
            amount_minor: rng.gen_range(5..=30) * 10_000,
        }]
    } else {
        Vec::new()
    };
    let terms = EfinPrepaidTerms {
        fob_id: account.account_num.clone(),
        fob_name: name.into(),
        reg_date: account.opened_at.date_naive(),
        limit_minor: 2_000_000,
        withdrawable: true,
        reserve_minor: 0,
        reserve_due_minor: 0,
        exp_due_minor: 0,
        auto_charge,
    };
    Opened {
        account,
        inst: company.1,
        prod: Prod::Efin(Box::new(terms)),
    }
}

fn pay_account(
    rng: &mut StdRng,
    h: &Holder,
    company: &(String, &'static str),
    prepaid: Option<&Opened>,
    card: Option<&Opened>,
) -> Opened {
    let o = Open {
        org_code: company.0.clone(),
        inst: company.1,
        kind: AccountKind::Payment,
        product: format!("{} 결제계정", company.1),
        opened_us: before_window(rng, h, 30..2_000),
        floor: 0,
        opening: 0,
    };
    let account = open(rng, h, o, |id| generate_account_num(None, id));
    let payer = h.payer();
    let mut methods = vec![PayMethod {
        org_code: payer.org_code.clone(),
        pay_type: PayType::Account,
        account_id: payer.account_id.clone(),
        primary: true,
    }];
    if let Some(p) = prepaid {
        methods.push(PayMethod {
            org_code: p.account.org_code.clone(),
            pay_type: PayType::Prepaid,
            account_id: p.account.account_id.clone(),
            primary: false,
        });
    }
    // A registered card pays nothing here: card approvals stay the card
    // company's own lines (CardMemo, catalogue merchants).
    if let Some(c) = card {
        methods.push(PayMethod {
            org_code: c.account.org_code.clone(),
            pay_type: PayType::Card,
            account_id: c.account.account_id.clone(),
            primary: false,
        });
    }
    let terms = PayAccountTerms {
        reg_date: DateTime::<Utc>::from_timestamp_micros(account.opened_at.timestamp_micros())
            .expect("in range")
            .date_naive(),
        payable: true,
        methods,
    };
    Opened {
        account,
        inst: company.1,
        prod: Prod::PayAccount(Box::new(terms)),
    }
}
