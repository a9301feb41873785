//! What every answer shares: KST date-times with six fractional digits,
//! USD amounts as JSON numbers, and Spring's `content[]` + `page` listing.

use chrono::{DateTime, Utc};
use finhub_core::clock::kst;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::ToSchema;

/// `2025-06-30T18:02:56.303340+09:00`.
pub fn datetime(t: DateTime<Utc>) -> String {
    t.with_timezone(&kst())
        .format("%Y-%m-%dT%H:%M:%S%.6f%:z")
        .to_string()
}

pub fn opt_datetime(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(datetime)
}

/// An ISO-8601 date-time with an offset or `Z`.
pub fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A USD amount in cents, on the wire a JSON number (`870`, `45000.5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Usd(pub i64);

impl Usd {
    /// From a decimal with at most two fractional digits.
    pub fn from_decimal(d: Decimal) -> Option<Usd> {
        let cents = d.checked_mul(Decimal::ONE_HUNDRED)?;
        (cents.fract().is_zero())
            .then(|| i64::try_from(cents.trunc()).ok())
            .flatten()
            .map(Usd)
    }

    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2).normalize()
    }
}

impl Serialize for Usd {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0 % 100 == 0 {
            s.serialize_i64(self.0 / 100)
        } else {
            // Two decimals at most: the shortest f64 form prints them exactly.
            s.serialize_f64(self.0 as f64 / 100.0)
        }
    }
}

impl<'de> Deserialize<'de> for Usd {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Usd, D::Error> {
        use serde::de::Error;
        let n = serde_json::Number::deserialize(d)?;
        let dec = Decimal::from_str_exact(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .map_err(|_| D::Error::custom("not a decimal amount"))?;
        Usd::from_decimal(dec).ok_or_else(|| D::Error::custom("more than two decimals"))
    }
}

impl utoipa::PartialSchema for Usd {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .description(Some("USD amount, at most two decimals"))
            .examples([serde_json::json!(870)])
            .into()
    }
}
impl ToSchema for Usd {}

/// Spring's page object.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub number: u32,
    pub size: u32,
    pub total_elements: u64,
    pub total_pages: u64,
}

impl PageInfo {
    pub fn new(paging: crate::extract::Paging, total: u64) -> PageInfo {
        let size = u64::from(paging.size.max(1));
        PageInfo {
            number: paging.page,
            size: paging.size,
            total_elements: total,
            total_pages: total.div_ceil(size),
        }
    }
}

/// A listing: `content[]` and its `page`.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub content: Vec<T>,
    pub page: PageInfo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_are_kst_with_microseconds() {
        let t = parse_datetime("2025-06-30T18:02:56.303340+09:00").unwrap();
        assert_eq!(datetime(t), "2025-06-30T18:02:56.303340+09:00");
        let z = parse_datetime("2025-10-07T11:20:00Z").unwrap();
        assert_eq!(datetime(z), "2025-10-07T20:20:00.000000+09:00");
        assert!(parse_datetime("2025-10-07").is_none());
    }

    #[test]
    fn amounts_are_json_numbers_in_cents() {
        let a: Usd = serde_json::from_str("870").unwrap();
        assert_eq!(a, Usd(87000));
        let b: Usd = serde_json::from_str("45000.5").unwrap();
        assert_eq!(serde_json::to_string(&b).unwrap(), "45000.5");
        assert_eq!(serde_json::to_string(&a).unwrap(), "870");
        assert!(serde_json::from_str::<Usd>("1.005").is_err());
        assert!(serde_json::from_str::<Usd>("\"870\"").is_err());
        assert_eq!(Usd(12345).to_decimal().to_string(), "123.45");
    }
}
