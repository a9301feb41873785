//! The server-rendered login and consent pages: plain HTML, inline style,
//! no scripts or external assets, every value escaped.

use crate::lang::Lang;
use crate::profile::{AccountPicker, ConsentPage, Question, QuestionKind, ScopeAsk};

/// Escape text for HTML element content and double-quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What a scope lets the client do, in words (KFTC's scopes by name,
/// others generically).
pub fn scope_words(scope: &str, lang: Lang) -> String {
    let known = match scope {
        "login" => (
            "본인 확인 (이름과 사용자일련번호)",
            "Know who you are (your name and user number)",
        ),
        "inquiry" => (
            "계좌, 잔액, 거래내역 조회",
            "See your accounts, balances and transactions",
        ),
        "transfer" => (
            "선택한 계좌에서 이체",
            "Move money from the accounts you pick",
        ),
        "oob" => (
            "오픈뱅킹센터 서비스 이용 (기관 자신)",
            "Use the open-banking centre's services on its own behalf",
        ),
        "sa" => (
            "센터를 대신하는 서비스 대행",
            "Act as a service agent on the centre's behalf",
        ),
        "cardinfo" => ("카드 정보 조회", "See your card details"),
        "fintechinfo" => (
            "선불·핀테크 잔액 조회",
            "See your prepaid and fintech balances",
        ),
        "insuinfo" => ("보험 계약 조회", "See your insurance contracts"),
        "loaninfo" => ("대출 조회", "See your loans"),
        _ => ("", ""),
    };
    let known = lang.pick(known.0, known.1);
    if !known.is_empty() {
        return known.to_owned();
    }
    // MyData style "industry.resource" scopes, e.g. bank.list.
    match (scope.split_once('.'), lang) {
        (Some((industry, what)), Lang::Ko) => format!("{industry} 정보 조회: {what}"),
        (Some((industry, what)), Lang::En) => format!("Read your {industry} data: {what}"),
        (None, Lang::Ko) => format!("권한 \u{201c}{scope}\u{201d}"),
        (None, Lang::En) => format!("Permission \u{201c}{scope}\u{201d}"),
    }
}

/// An account number with all but its last four digits hidden.
pub fn mask_number(num: &str) -> String {
    let digits = num.chars().filter(|c| c.is_ascii_alphanumeric()).count();
    let mut seen = 0;
    num.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                seen += 1;
                if seen + 4 <= digits {
                    return '*';
                }
            }
            c
        })
        .collect()
}

fn layout(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{l}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{t}</title><style>\
body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}}\
h1{{font-size:1.3rem}} label{{display:block;margin:.6rem 0 .2rem}}\
input[type=text],input[type=password],select{{font:inherit;width:100%;padding:.5rem;box-sizing:border-box}}\
button{{font:inherit;padding:.5rem 1.4rem;margin:.8rem .5rem 0 0;border:1px solid #888;border-radius:6px;background:#f4f4f4;color:#222}}\
button.primary{{background:#1a56db;border-color:#1a56db;color:#fff}} .err{{color:#b00020}}\
ul{{padding-left:1.2rem}} fieldset{{border:1px solid #ccc;border-radius:6px}}\
.acct{{display:flex;align-items:center;gap:.5rem;margin:.4rem 0}} .acct input{{margin:0}}\
</style></head><body>\n<h1>{t}</h1>\n{body}\n</body></html>\n",
        t = esc(title),
        l = lang.code(),
    )
}

fn scope_list(asks: &[ScopeAsk]) -> String {
    let mut s = String::from("<ul class=\"scopes\">");
    for a in asks {
        s.push_str(&format!(
            "<li>{} <small>({})</small></li>",
            esc(&a.words),
            esc(&a.scope)
        ));
    }
    s.push_str("</ul>");
    s
}

fn error_line(error: Option<&str>) -> String {
    error
        .map(|e| format!("<p class=\"err\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default()
}

/// The login page of a pending request.
pub struct LoginPage<'a> {
    pub lang: Lang,
    pub client_name: &'a str,
    pub request_id: &'a str,
    pub asks: &'a [ScopeAsk],
    pub error: Option<&'a str>,
    /// Where the form posts, relative to the page.
    pub action: &'a str,
    /// The login the person typed, kept on a retry.
    pub login: &'a str,
}

/// Form actions are relative, so the pages work under any mount prefix:
/// from `.../authorize` the login form posts to `authorize/login`, from
/// `.../authorize/login` (a retry) to `login`. A retry keeps the login the
/// person typed, so only the password is typed again.
pub fn login_page(p: &LoginPage<'_>) -> String {
    let w = p.lang.words();
    let body = format!(
        "<p><strong>{client}</strong>{asks_to}</p>{scopes}{err}\
<form method=\"post\" action=\"{action}\">\
<input type=\"hidden\" name=\"request_id\" value=\"{rid}\">\
<label for=\"login\">{login_label}</label>\
<input type=\"text\" id=\"login\" name=\"login\" value=\"{login}\" autocomplete=\"username\" required>\
<label for=\"password\">{password_label}</label>\
<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
<button type=\"submit\" class=\"primary\">{button}</button></form>",
        client = esc(p.client_name),
        asks_to = esc(w.asks_to),
        scopes = scope_list(p.asks),
        err = error_line(p.error),
        rid = esc(p.request_id),
        action = esc(p.action),
        login = esc(p.login),
        login_label = esc(w.login_label),
        password_label = esc(w.password_label),
        button = esc(w.login_button),
    );
    layout(p.lang, w.login_title, &body)
}

fn account_picker(picker: Option<&AccountPicker>) -> String {
    let Some(picker) = picker else {
        return String::new();
    };
    if picker.choices.is_empty() {
        return format!("<p>{}</p>", esc(&picker.none_text));
    }
    let mut list = format!("<fieldset><legend>{}</legend>", esc(&picker.legend));
    for (i, a) in picker.choices.iter().enumerate() {
        list.push_str(&format!(
            "<div class=\"acct\"><input type=\"checkbox\" id=\"a{i}\" name=\"account_id\" value=\"{id}\" checked>\
<label for=\"a{i}\">{inst} {num} &middot; {prod}</label></div>",
            id = esc(&a.account_id),
            inst = esc(&a.institution),
            num = esc(&a.masked_number),
            prod = esc(&a.product),
        ));
    }
    list.push_str("</fieldset>");
    list
}

/// The page's other questions, one field each (a choice as a select list).
fn question_fields(questions: &[Question]) -> String {
    let mut out = String::new();
    for (i, q) in questions.iter().enumerate() {
        out.push_str(&format!("<label for=\"q{i}\">{}</label>", esc(&q.label)));
        match &q.kind {
            QuestionKind::Choice(options) => {
                out.push_str(&format!("<select id=\"q{i}\" name=\"{}\">", esc(&q.name)));
                for (value, words) in options {
                    out.push_str(&format!(
                        "<option value=\"{}\">{}</option>",
                        esc(value),
                        esc(words)
                    ));
                }
                out.push_str("</select>");
            }
            QuestionKind::Text { value, max } => out.push_str(&format!(
                "<input type=\"text\" id=\"q{i}\" name=\"{}\" value=\"{}\" maxlength=\"{max}\">",
                esc(&q.name),
                esc(value)
            )),
        }
    }
    out
}

/// The greeting above the scopes: the person, then who asks.
fn greeting(lang: Lang, person: &str, client: &str) -> String {
    let (person, client) = (esc(person), esc(client));
    match lang {
        Lang::Ko => {
            format!("{person}님, 안녕하세요. <strong>{client}</strong>이(가) 다음을 요청합니다:")
        }
        Lang::En => format!("Hello, {person}. <strong>{client}</strong> asks to:"),
    }
}

/// The consent page of request `request_id`, with `error` above the form.
pub fn consent_page(page: &ConsentPage, request_id: &str, error: Option<&str>) -> String {
    let w = page.lang.words();
    let body = format!(
        "<p>{greeting}</p>{scopes}{err}\
<form method=\"post\" action=\"consent\">\
<input type=\"hidden\" name=\"request_id\" value=\"{rid}\">{list}{questions}\
<button type=\"submit\" name=\"decision\" value=\"allow\" class=\"primary\">{allow}</button>\
<button type=\"submit\" name=\"decision\" value=\"deny\">{deny}</button></form>",
        greeting = greeting(page.lang, &page.person_name, &page.client_name),
        allow = esc(w.allow),
        deny = esc(w.deny),
        scopes = scope_list(&page.asks),
        err = error_line(error),
        rid = esc(request_id),
        list = account_picker(page.accounts.as_ref()),
        questions = question_fields(&page.questions),
    );
    layout(page.lang, &page.title, &body)
}

pub fn error_page(lang: Lang, title: &str, message: &str) -> String {
    layout(
        lang,
        title,
        &format!("<p class=\"err\">{}</p>", esc(message)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let page = login_page(&LoginPage {
            lang: Lang::En,
            client_name: "<script>",
            request_id: "rid\"",
            asks: &[ScopeAsk::of("login", Lang::En)],
            error: Some("<b>"),
            action: "login",
            login: "\"><x",
        });
        assert!(!page.contains("<script>"));
        assert!(page.contains("&lt;script&gt;"));
        assert!(page.contains("value=\"rid&quot;\""));
        assert!(page.contains("value=\"&quot;&gt;&lt;x\""));
    }

    #[test]
    fn masks_all_but_the_last_four() {
        assert_eq!(mask_number("123-456789-01234"), "***-******-*1234");
        assert_eq!(mask_number("12"), "12");
    }
}
