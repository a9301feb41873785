//! The server-rendered login and consent pages: plain HTML, inline style,
//! no scripts or external assets, every value escaped.

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

/// What a scope lets the client do, in words.
pub fn scope_words(scope: &str) -> String {
    let known = match scope {
        "login" => "Know who you are (your name and user number)",
        "inquiry" => "See your accounts, balances and transactions",
        "transfer" => "Move money from the accounts you pick",
        "oob" => "Use the open-banking centre's services on its own behalf",
        "sa" => "Act as a service agent on the centre's behalf",
        "cardinfo" => "See your card details",
        "fintechinfo" => "See your prepaid and fintech balances",
        "insuinfo" => "See your insurance contracts",
        "loaninfo" => "See your loans",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    // MyData style "industry.resource" scopes, e.g. bank.list.
    match scope.split_once('.') {
        Some((industry, what)) => format!("Read your {industry} data: {what}"),
        None => format!("Permission \u{201c}{scope}\u{201d}"),
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

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{t}</title><style>\
body{{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}}\
h1{{font-size:1.3rem}} label{{display:block;margin:.6rem 0 .2rem}}\
input[type=text],input[type=password]{{font:inherit;width:100%;padding:.5rem;box-sizing:border-box}}\
button{{font:inherit;padding:.5rem 1.4rem;margin:.8rem .5rem 0 0;border:1px solid #888;border-radius:6px;background:#f4f4f4;color:#222}}\
button.primary{{background:#1a56db;border-color:#1a56db;color:#fff}} .err{{color:#b00020}}\
ul{{padding-left:1.2rem}} fieldset{{border:1px solid #ccc;border-radius:6px}}\
.acct{{display:flex;align-items:center;gap:.5rem;margin:.4rem 0}} .acct input{{margin:0}}\
</style></head><body>\n<h1>{t}</h1>\n{body}\n</body></html>\n",
        t = esc(title),
    )
}

fn scope_list(scopes: &[String]) -> String {
    let mut s = String::from("<ul class=\"scopes\">");
    for sc in scopes {
        s.push_str(&format!(
            "<li>{} <small>({})</small></li>",
            esc(&scope_words(sc)),
            esc(sc)
        ));
    }
    s.push_str("</ul>");
    s
}

/// Form actions are relative, so the pages work under any mount prefix:
/// from `.../authorize` the login form posts to `authorize/login`, from
/// `.../authorize/login` (a retry) to `login`. A retry keeps the login the
/// person typed, so only the password is typed again.
pub fn login_page(
    client_name: &str,
    request_id: &str,
    scopes: &[String],
    error: Option<&str>,
    action: &str,
    login: &str,
) -> String {
    let err = error
        .map(|e| format!("<p class=\"err\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    let body = format!(
        "<p><strong>{client}</strong> asks to:</p>{scopes}{err}\
<form method=\"post\" action=\"{action}\">\
<input type=\"hidden\" name=\"request_id\" value=\"{rid}\">\
<label for=\"login\">Phone number or user id</label>\
<input type=\"text\" id=\"login\" name=\"login\" value=\"{login}\" autocomplete=\"username\" required>\
<label for=\"password\">Password</label>\
<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>\
<button type=\"submit\" class=\"primary\">Log in</button></form>",
        client = esc(client_name),
        scopes = scope_list(scopes),
        rid = esc(request_id),
        action = esc(action),
        login = esc(login),
    );
    layout("Log in", &body)
}

/// One account offered on the consent page.
pub struct AccountChoice {
    pub account_id: String,
    pub institution: String,
    pub masked_number: String,
    pub product: String,
}

pub fn consent_page(
    client_name: &str,
    person_name: &str,
    request_id: &str,
    scopes: &[String],
    accounts: &[AccountChoice],
    error: Option<&str>,
) -> String {
    let err = error
        .map(|e| format!("<p class=\"err\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    let mut list = String::new();
    if accounts.is_empty() {
        list.push_str("<p>You have no accounts to share.</p>");
    } else {
        list.push_str("<fieldset><legend>Accounts to share</legend>");
        for (i, a) in accounts.iter().enumerate() {
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
    }
    let body = format!(
        "<p>Hello, {person}. <strong>{client}</strong> asks to:</p>{scopes}{err}\
<form method=\"post\" action=\"consent\">\
<input type=\"hidden\" name=\"request_id\" value=\"{rid}\">{list}\
<button type=\"submit\" name=\"decision\" value=\"allow\" class=\"primary\">Allow</button>\
<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>",
        person = esc(person_name),
        client = esc(client_name),
        scopes = scope_list(scopes),
        rid = esc(request_id),
    );
    layout("Allow access?", &body)
}

pub fn error_page(title: &str, message: &str) -> String {
    layout(title, &format!("<p class=\"err\">{}</p>", esc(message)))
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
        let page = login_page(
            "<script>",
            "rid\"",
            &["login".into()],
            Some("<b>"),
            "login",
            "\"><x",
        );
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
