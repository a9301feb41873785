//! People (the natural persons behind every face's "user", "customer" and "member").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gender {
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "F")]
    Female,
}

impl Gender {
    pub fn as_str(&self) -> &'static str {
        match self {
            Gender::Male => "M",
            Gender::Female => "F",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "M" | "m" | "male" => Some(Gender::Male),
            "F" | "f" | "female" => Some(Gender::Female),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub person_id: String,
    /// Connecting information: 88 characters, unique per person.
    pub ci: String,
    pub name: String,
    pub birth_date: NaiveDate,
    pub gender: Option<Gender>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// What it takes to create a person; the CI is generated when absent.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub ci: Option<String>,
}

impl NewPerson {
    /// Check the fields a person must have, before anything is written.
    pub fn validate(&self) -> Result<(), String> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 50 {
            return Err("name must be 1 to 50 characters".into());
        }
        if self.birth_date.is_none() {
            return Err("birth_date is required (YYYY-MM-DD)".into());
        }
        if let Some(p) = &self.phone {
            let digits = p.chars().filter(|c| *c != '-').collect::<String>();
            if digits.len() < 9 || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return Err("phone must be 9 to 15 digits".into());
            }
        }
        if let Some(e) = &self.email {
            if e.len() > 100 || !e.contains('@') {
                return Err("email is not an address".into());
            }
        }
        if let Some(ci) = &self.ci {
            if !crate::ids::is_valid_ci(ci) {
                return Err("ci must be 88 characters of base64".into());
            }
        }
        Ok(())
    }
}

/// Phone numbers are stored as digits only, so "010-1234-5678" and
/// "01012345678" are the same login.
pub fn normalize_phone(p: &str) -> String {
    p.chars().filter(|c| c.is_ascii_digit()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_bad_field() {
        let mut p = NewPerson {
            name: "홍길동".into(),
            ..Default::default()
        };
        assert!(p.validate().unwrap_err().contains("birth_date"));
        p.birth_date = NaiveDate::from_ymd_opt(1990, 1, 2);
        assert!(p.validate().is_ok());
        p.phone = Some("abc".into());
        assert!(p.validate().unwrap_err().contains("phone"));
        p.phone = Some("010-1234-5678".into());
        assert!(p.validate().is_ok());
        p.name = " ".into();
        assert!(p.validate().unwrap_err().contains("name"));
    }
}
