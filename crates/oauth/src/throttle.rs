//! Guessing throttle: after `MAX_FAILURES` wrong secrets or passwords for one
//! id within a window, that id is refused (even with the right secret) until
//! the window passes. Judged by the world's clock so tests can move time.

use chrono::{DateTime, Duration, Utc};
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::Arc;

pub const MAX_FAILURES: u32 = 10;
pub const WINDOW_SECS: i64 = 60;
/// Bound on tracked ids; past it, stale windows are dropped (and, if every
/// window is live, the oldest half of the table).
const MAX_TRACKED: usize = 100_000;

/// Ids are tracked by their first 200 bytes, so a huge id costs no memory.
fn key(id: &str) -> &str {
    let mut end = id.len().min(200);
    while !id.is_char_boundary(end) {
        end -= 1;
    }
    &id[..end]
}

/// Start of an id's current window and its failures in it.
type Window = (DateTime<Utc>, u32);

#[derive(Clone, Default)]
pub struct Throttle {
    inner: Arc<Mutex<HashMap<String, Window>>>,
}

impl Throttle {
    /// False when `id` has used up its failures in the current window.
    pub fn allowed(&self, id: &str, now: DateTime<Utc>) -> bool {
        match self.inner.lock().get(key(id)) {
            Some((start, n)) => now - *start >= Duration::seconds(WINDOW_SECS) || *n < MAX_FAILURES,
            None => true,
        }
    }

    pub fn fail(&self, id: &str, now: DateTime<Utc>) {
        let mut map = self.inner.lock();
        if map.len() >= MAX_TRACKED && !map.contains_key(key(id)) {
            map.retain(|_, (start, _)| now - *start < Duration::seconds(WINDOW_SECS));
            if map.len() >= MAX_TRACKED {
                let mut starts: Vec<DateTime<Utc>> = map.values().map(|(s, _)| *s).collect();
                starts.sort_unstable();
                let cut = starts[starts.len() / 2];
                map.retain(|_, (start, _)| *start > cut);
            }
        }
        let e = map.entry(key(id).to_owned()).or_insert((now, 0));
        if now - e.0 >= Duration::seconds(WINDOW_SECS) {
            *e = (now, 0);
        }
        e.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_lock_until_the_window_passes() {
        let t = Throttle::default();
        let now = Utc::now();
        for _ in 0..MAX_FAILURES {
            assert!(t.allowed("c", now));
            t.fail("c", now);
        }
        assert!(!t.allowed("c", now));
        assert!(t.allowed("other", now));
        assert!(t.allowed("c", now + Duration::seconds(WINDOW_SECS)));
    }
}
