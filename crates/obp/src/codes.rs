//! OBP's error codes (reference §5): the number, the text every message
//! starts with, and the status it usually travels with.

use axum::http::StatusCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub text: &'static str,
    pub status: u16,
}

macro_rules! codes {
    ($($name:ident = $code:literal, $status:literal, $text:literal;)*) => {
        $(pub const $name: Code = Code { code: $code, text: $text, status: $status };)*
        /// Every code, for the meta test that each is raised somewhere.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    SERVER_ADD_DATA = "OBP-00004", 400, "Server error: could not add message";
    ACCOUNT_FIREHOSE_NOT_ALLOWED = "OBP-00009", 400, "Account firehose is not allowed on this instance. Please set allow_account_firehose = true in props files. ";
    INVALID_JSON = "OBP-10001", 400, "Incorrect json format.";
    INVALID_CURRENCY = "OBP-10003", 400, "Invalid Currency Value. It should be three letters ISO Currency Code. ";
    INCORRECT_ROLE = "OBP-10007", 400, "Incorrect Role name:";
    INVALID_FILTER = "OBP-10016", 400, "Incorrect filter Parameters in URL. ";
    INVALID_JSON_CONTENT = "OBP-10020", 400, "Incorrect json.";
    SORT_DIRECTION = "OBP-10023", 400, "obp_sort_direction parameter can only take two values: DESC or ASC!";
    OFFSET = "OBP-10024", 400, "wrong value for obp_offset parameter. Please send a positive integer (=>0)!";
    LIMIT = "OBP-10025", 400, "wrong value for obp_limit parameter. Please send a positive integer (=>1)!";
    DATE_FORMAT = "OBP-10026", 400, "Failed to parse date string. Please use this format yyyy-MM-dd'T'HH:mm:ss.SSS'Z'!";
    INVALID_URI = "OBP-10404", 404, "404 Not Found. The server could not find the requested URI. Please double check your URL, headers and body. Note: When you are making a POST or PUT request, the Content-Type header MUST be `application/json`. Note: OBP only supports JSON formatted bodies.";
    NOT_LOGGED_IN = "OBP-20001", 401, "User not logged in. Authentication is required!";
    DIRECT_LOGIN_MISSING = "OBP-20002", 400, "These DirectLogin parameters are missing:";
    DIRECT_LOGIN_TOKEN = "OBP-20003", 401, "This DirectLogin token is invalid or expired:";
    BAD_CREDENTIALS = "OBP-20004", 401, "Invalid login credentials. Check username/password.";
    USER_NOT_FOUND = "OBP-20005", 404, "User not found. Please specify a valid value for USER_ID.";
    MISSING_ROLES = "OBP-20006", 403, "User is missing one or more roles: ";
    INVALID_CONSUMER = "OBP-20008", 401, "Invalid Consumer Key.";
    DIRECT_LOGIN_FORMAT = "OBP-20012", 400, "Invalid direct login parameters";
    NOT_SUPER_ADMIN = "OBP-20050", 403, "Current User is not a Super Admin!";
    USER_NOT_FOUND_BY_ID = "OBP-20057", 404, "User not found by userId.";
    MISSING_DIRECT_LOGIN_HEADER = "OBP-20082", 400, "Missing DirectLogin or Authorization header.";
    INVALID_DIRECT_LOGIN_HEADER = "OBP-20083", 400, "Missing DirectLogin word at the value of Authorization header.";
    BANK_NOT_FOUND = "OBP-30001", 404, "Bank not found. Please specify a valid value for BANK_ID.";
    CUSTOMER_NUMBER_NOT_FOUND = "OBP-30002", 404, "Customer not found. Please specify a valid value for CUSTOMER_NUMBER.";
    CUSTOMER_NUMBER_TAKEN = "OBP-30006", 400, "Customer Number already exists. Please specify a different value for BANK_ID or CUSTOMER_NUMBER.";
    ALREADY_LINKED = "OBP-30007", 400, "The User is already linked to a Customer at the bank specified by BANK_ID";
    NO_LINK_FOR_USER = "OBP-30008", 400, "User Customer Link not found by USER_ID";
    CREATE_LINK = "OBP-30025", 400, "Could not create user_customer_links";
    LINK_NOT_FOUND = "OBP-30035", 400, "User Customer Link not found";
    CUSTOMER_NOT_FOUND = "OBP-30046", 404, "Customer not found. Please specify a valid value for CUSTOMER_ID.";
    CREATE_CUSTOMER = "OBP-30051", 400, "Cannot create Customer";
    UPDATE_CUSTOMER = "OBP-30058", 400, "Cannot update the Customer";
    ATTRIBUTE_NOT_FOUND = "OBP-30069", 400, "Customer Attribute not found. Please specify a valid value for CUSTOMER_ATTRIBUTE_ID.";
    DEFINITION_NOT_FOUND = "OBP-30071", 400, "Attribute Definition not found. Please specify a valid value for ATTRIBUTE_DEFINITION_ID.";
    MEETING_NOT_FOUND = "OBP-30104", 400, "Meeting not found.";
    INITIAL_BALANCE_ZERO = "OBP-30109", 400, "Initial Balance of Account must be Zero (0).";
    ACCOUNT_ID_FORMAT = "OBP-30110", 400, "Invalid Account Id. The ACCOUNT_ID should only contain 0-9/a-z/A-Z/'-'/'.'/'_', the length should be smaller than 255.";
    BANK_ID_FORMAT = "OBP-30111", 400, "Invalid Bank Id. The BANK_ID should only contain 0-9/a-z/A-Z/'-'/'.'/'_', the length should be smaller than 255.";
    INITIAL_BALANCE_NUMBER = "OBP-30112", 400, "Invalid Number. Initial balance must be a number, e.g 1000.00";
    CUSTOMER_BANK = "OBP-30113", 400, "Invalid Bank Id. The Customer does not belong to this Bank";
    ACCOUNT_ROUTINGS = "OBP-30114", 400, "Invalid Account Routings.";
    ROUTING_TAKEN = "OBP-30115", 400, "Account Routing already exist.";
    BANK_ROLE = "OBP-30205", 400, "This entitlement is a Bank Role. Please set bank_id to a valid bank id.";
    SYSTEM_ROLE = "OBP-30206", 400, "This entitlement is a System Role. Please set bank_id to empty string.";
    WEAK_PASSWORD = "OBP-30207", 400, "Invalid Password Format. Your password should EITHER be at least 10 characters long and contain mixed numbers and both upper and lower case letters and at least one special character, OR the length should be > 16 and <= 512.";
    ACCOUNT_ID_TAKEN = "OBP-30208", 400, "Account_ID already exists at the Bank.";
    ENTITLEMENT_HELD = "OBP-30216", 400, "Entitlement already exists for the user.";
    UNKNOWN = "OBP-50000", 400, "Unknown Error.";
    UNSPECIFIED = "OBP-50005", 400, "An unspecified or internal error occurred.";
    CONNECTOR = "OBP-50200", 400, "Connector cannot return the data we requested.";
}

impl Code {
    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST)
    }
}
