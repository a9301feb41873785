//! The consent page as content: what it shows and asks. An adapter builds
//! it (`ProfileAdapter::consent_page`); pages.rs renders it, escaped.

use crate::lang::Lang;
use crate::pages::scope_words;
use finhub_core::oauth::Client;

/// What the consent page is built from.
pub struct ConsentAsk<'a> {
    pub client: &'a Client,
    pub person_id: &'a str,
    /// The person who logged in, by name.
    pub person_name: &'a str,
    /// The scopes of the request.
    pub scopes: &'a [String],
    /// The person's accounts the client could be given: open, and not the
    /// institutions' own (settlement, contract).
    pub accounts: Vec<AccountChoice>,
    /// The authorize parameters the standard keeps (`extra_params`), and
    /// what `prepare_request` added.
    pub extra: &'a serde_json::Value,
    /// The page's language (the browser's `Accept-Language`).
    pub lang: Lang,
}

/// What the consent page shows and asks.
pub struct ConsentPage {
    pub lang: Lang,
    pub title: String,
    pub person_name: String,
    pub client_name: String,
    /// What the client asks to do, one line per scope.
    pub asks: Vec<ScopeAsk>,
    /// The accounts to pick from; None asks for no accounts (and a consent
    /// naming any is refused).
    pub accounts: Option<AccountPicker>,
    /// What else the person answers (a MyData consent's end date, purpose),
    /// one form field each; the answers go to `consent_answers`.
    pub questions: Vec<Question>,
}

/// One more thing the consent page asks.
pub struct Question {
    /// The form field's name (also the headless consent's).
    pub name: String,
    pub label: String,
    pub kind: QuestionKind,
}

pub enum QuestionKind {
    /// One of these (value, words); the first is chosen at first.
    Choice(Vec<(String, String)>),
    /// Free text, prefilled, at most `max` characters.
    Text { value: String, max: usize },
}

/// One scope, in words.
pub struct ScopeAsk {
    pub scope: String,
    pub words: String,
}

/// The account picker: a checkbox per account, all ticked at first.
pub struct AccountPicker {
    pub legend: String,
    /// Shown instead when there is nothing to pick.
    pub none_text: String,
    pub choices: Vec<AccountChoice>,
}

/// One account offered on the consent page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountChoice {
    pub account_id: String,
    /// How the standard names the account to an app (a headless consent
    /// names it so): KFTC the account id, MyData the asset id.
    pub asset: String,
    pub institution: String,
    pub masked_number: String,
    pub product: String,
    /// What kind of account it is, so a standard can offer only its own.
    pub kind: finhub_core::account::AccountKind,
}

impl ScopeAsk {
    /// `scope` with the server's words for it.
    pub fn of(scope: &str, lang: Lang) -> ScopeAsk {
        ScopeAsk {
            scope: scope.to_owned(),
            words: scope_words(scope, lang),
        }
    }
}

impl ConsentPage {
    /// Every scope in words and every offered account to pick from.
    pub fn new(ask: ConsentAsk<'_>) -> ConsentPage {
        let w = ask.lang.words();
        ConsentPage {
            lang: ask.lang,
            title: w.consent_title.into(),
            person_name: ask.person_name.to_owned(),
            client_name: ask.client.name.clone(),
            asks: ask
                .scopes
                .iter()
                .map(|s| ScopeAsk::of(s, ask.lang))
                .collect(),
            accounts: Some(AccountPicker {
                legend: w.accounts_legend.into(),
                none_text: w.no_accounts.into(),
                choices: ask.accounts,
            }),
            questions: Vec::new(),
        }
    }

    /// Whether `account_id` is one the page offers.
    pub fn offers(&self, account_id: &str) -> bool {
        self.accounts
            .as_ref()
            .is_some_and(|p| p.choices.iter().any(|c| c.account_id == account_id))
    }

    /// The account offered under the name `asset`, if any.
    pub fn offered_asset(&self, asset: &str) -> Option<&AccountChoice> {
        self.accounts
            .as_ref()
            .and_then(|p| p.choices.iter().find(|c| c.asset == asset))
    }

    /// Every offered account's id, as the page first shows them (all ticked).
    pub fn offered(&self) -> Vec<String> {
        self.accounts
            .as_ref()
            .map(|p| p.choices.iter().map(|c| c.account_id.clone()).collect())
            .unwrap_or_default()
    }
}
