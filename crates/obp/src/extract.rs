//! Bodies are read after the checks that come before them in OBP's order
//! (login → bank → roles → body), so a handler takes the raw bytes and
//! parses them here. Missing fields are empty (the wire structs carry
//! `#[serde(default)]`) and unknown ones ignored; only JSON that does not
//! parse, a present field of the wrong type, or a date in another format is
//! OBP-10001.

use crate::error::{ObpError, ObpResult};
use serde::de::DeserializeOwned;

pub fn parse<T: DeserializeOwned>(body: &[u8], type_name: &str) -> ObpResult<T> {
    // Every OBP body is an object; serde would also fill a struct from an array.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ObpError::json(type_name));
    }
    serde_json::from_slice(body).map_err(|_| ObpError::json(type_name))
}
