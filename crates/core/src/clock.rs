//! One injectable clock. A sandbox can move it; production leaves it alone.

use chrono::{DateTime, Duration, FixedOffset, Utc};
use parking_lot::RwLock;
use std::sync::Arc;

/// Korea Standard Time, the zone the Korean standards speak in.
pub fn kst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("valid offset")
}

/// The clock every service reads. Cloning shares the same offset.
#[derive(Clone, Default)]
pub struct Clock {
    // Offset from the system clock; zero unless the sandbox moved it.
    offset: Arc<RwLock<Duration>>,
}

impl Clock {
    pub fn system() -> Self {
        Clock::default()
    }

    /// A clock fixed relative to now at `at` (it still advances with real time).
    pub fn starting_at(at: DateTime<Utc>) -> Self {
        let c = Clock::default();
        c.set(at);
        c
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.offset.read()
    }

    pub fn now_kst(&self) -> DateTime<FixedOffset> {
        self.now().with_timezone(&kst())
    }

    pub fn advance(&self, by: Duration) {
        *self.offset.write() += by;
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.offset.write() = at - Utc::now();
    }

    /// How far the world is from real time (what a store persists, so every
    /// node and every restart keeps one world clock).
    pub fn offset(&self) -> Duration {
        *self.offset.read()
    }

    pub fn set_offset(&self, offset: Duration) {
        *self.offset.write() = offset;
    }
}

/// Microseconds since the Unix epoch, the store's time unit.
pub fn to_micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

pub fn from_micros(us: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_micros(us).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_now_forward() {
        let c = Clock::system();
        let before = c.now();
        c.advance(Duration::days(2));
        assert!(c.now() - before >= Duration::days(2));
        let shared = c.clone();
        shared.advance(Duration::days(1));
        assert!(c.now() - before >= Duration::days(3));
    }

    #[test]
    fn set_pins_the_present() {
        let at = DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let c = Clock::starting_at(at);
        assert!((c.now() - at).num_seconds().abs() < 2);
    }
}
