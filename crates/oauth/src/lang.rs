//! The pages' language: Korean unless the browser prefers English
//! (`Accept-Language`), and every fixed text of the pages in both.

use axum::http::{header, HeaderMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    /// The language `Accept-Language` prefers among Korean and English
    /// (by q-value, then order); Korean when it names neither.
    pub fn from_headers(h: &HeaderMap) -> Lang {
        let Some(v) = h.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
            return Lang::Ko;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in v.split(',').take(20) {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let lang = match tag.split('-').next() {
                Some("en") => Lang::En,
                Some("ko") => Lang::Ko,
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Ko, |(_, l)| l)
    }

    /// The `lang` attribute of the pages.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// This language's page texts.
    pub fn words(self) -> &'static Words {
        match self {
            Lang::Ko => &KO,
            Lang::En => &EN,
        }
    }

    /// `ko` or `en`, whichever is this language.
    pub fn pick<'a>(self, ko: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ko => ko,
            Lang::En => en,
        }
    }
}

/// Every fixed text of the login, consent and error pages.
pub struct Words {
    pub login_title: &'static str,
    /// Before the list of scopes: "{client} asks to:".
    pub asks_to: &'static str,
    pub hello: &'static str,
    pub login_label: &'static str,
    pub password_label: &'static str,
    pub login_button: &'static str,
    pub allow: &'static str,
    pub deny: &'static str,
    pub consent_title: &'static str,
    pub accounts_legend: &'static str,
    pub no_accounts: &'static str,
    pub invalid_request: &'static str,
    pub unreadable_request: &'static str,
    pub unreadable_form: &'static str,
    pub bad_client_id: &'static str,
    pub unknown_client: &'static str,
    pub bad_redirect_uri: &'static str,
    pub expired_title: &'static str,
    pub expired: &'static str,
    pub enter_login: &'static str,
    pub too_many: &'static str,
    pub wrong_login: &'static str,
    pub answered_title: &'static str,
    pub answered: &'static str,
    pub log_in_first_title: &'static str,
    pub log_in_first: &'static str,
    pub choose: &'static str,
    pub pick_listed: &'static str,
    /// Before the reason an answer was refused.
    pub check_answer: &'static str,
    pub later_title: &'static str,
    pub later: &'static str,
    pub unavailable: &'static str,
}

const KO: Words = Words {
    login_title: "로그인",
    asks_to: "이(가) 다음을 요청합니다:",
    hello: "님, 안녕하세요.",
    login_label: "휴대폰 번호 또는 사용자 ID",
    password_label: "비밀번호",
    login_button: "로그인",
    allow: "동의",
    deny: "거부",
    consent_title: "접근을 허용할까요?",
    accounts_legend: "공유할 계좌",
    no_accounts: "공유할 계좌가 없습니다.",
    invalid_request: "잘못된 요청",
    unreadable_request: "요청을 읽을 수 없습니다.",
    unreadable_form: "양식을 읽을 수 없습니다.",
    bad_client_id: "client_id가 없거나 올바르지 않습니다.",
    unknown_client: "등록되지 않은 클라이언트입니다.",
    bad_redirect_uri: "redirect_uri가 이 클라이언트에 등록된 URI와 다릅니다.",
    expired_title: "요청 만료",
    expired: "알 수 없거나 만료된 요청입니다. 앱에서 다시 시작하세요.",
    enter_login: "휴대폰 번호 또는 사용자 ID와 비밀번호를 입력하세요.",
    too_many: "시도 횟수를 초과했습니다. 잠시 후 다시 시도하세요.",
    wrong_login: "아이디 또는 비밀번호가 올바르지 않습니다.",
    answered_title: "이미 응답한 요청",
    answered: "이미 응답한 요청입니다. 앱에서 다시 시작하세요.",
    log_in_first_title: "먼저 로그인하세요",
    log_in_first: "요청에 응답하기 전에 로그인하세요.",
    choose: "동의 또는 거부를 선택하세요.",
    pick_listed: "목록에 있는 항목만 선택하세요.",
    check_answer: "입력한 내용을 확인하세요",
    later_title: "잠시 후 다시 시도하세요",
    later: "요청을 처리하지 못했습니다.",
    unavailable: "서비스를 일시적으로 사용할 수 없습니다.",
};

const EN: Words = Words {
    login_title: "Log in",
    asks_to: " asks to:",
    hello: "",
    login_label: "Phone number or user id",
    password_label: "Password",
    login_button: "Log in",
    allow: "Allow",
    deny: "Deny",
    consent_title: "Allow access?",
    accounts_legend: "Accounts to share",
    no_accounts: "You have no accounts to share.",
    invalid_request: "Invalid request",
    unreadable_request: "The request could not be read.",
    unreadable_form: "The form could not be read.",
    bad_client_id: "client_id is missing or invalid.",
    unknown_client: "Unknown client.",
    bad_redirect_uri: "redirect_uri does not match a URI registered for this client.",
    expired_title: "Request expired",
    expired: "This sign-in request is unknown or has expired. Start again from the app.",
    enter_login: "Enter your phone number or user id, and your password.",
    too_many: "Too many attempts. Wait a minute and try again.",
    wrong_login: "The login or password is not correct.",
    answered_title: "Already answered",
    answered: "This request has already been answered. Start again from the app.",
    log_in_first_title: "Log in first",
    log_in_first: "Log in before you answer the request.",
    choose: "Choose Allow or Deny.",
    pick_listed: "Pick only accounts from the list.",
    check_answer: "Check your answer",
    later_title: "Try again later",
    later: "The server could not complete the request.",
    unavailable: "The service is temporarily unavailable.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn of(v: &str) -> Lang {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_str(v).unwrap());
        Lang::from_headers(&h)
    }

    #[test]
    fn korean_unless_english_is_preferred() {
        assert_eq!(Lang::from_headers(&HeaderMap::new()), Lang::Ko);
        assert_eq!(of("en"), Lang::En);
        assert_eq!(of("en-US,en;q=0.9"), Lang::En);
        assert_eq!(of("ko-KR,ko;q=0.9,en-US;q=0.8"), Lang::Ko);
        assert_eq!(of("fr, en;q=0.5, ko;q=0.7"), Lang::Ko);
        assert_eq!(of("de-DE"), Lang::Ko);
        assert_eq!(of("en;q=0, ko;q=0.1"), Lang::Ko);
        assert_eq!(of("ja, en-GB;q=0.3"), Lang::En);
    }
}
