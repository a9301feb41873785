//! Latency recording and the JSON line every measurement prints.

use hdrhistogram::Histogram;
use serde::Serialize;
use std::time::Duration;

/// Microsecond histogram, 1 µs .. 60 s, 3 significant digits.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("valid histogram bounds")
}

pub fn record(h: &mut Histogram<u64>, d: Duration) {
    let us = (d.as_micros() as u64).clamp(1, 60_000_000);
    h.record(us).expect("clamped into bounds");
}

/// One measured series: throughput and latency percentiles.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub name: String,
    pub concurrency: usize,
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    pub max_ms: f64,
}

impl Summary {
    pub fn new(
        name: impl Into<String>,
        concurrency: usize,
        h: &Histogram<u64>,
        errors: u64,
        elapsed: Duration,
    ) -> Summary {
        let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
        let secs = elapsed.as_secs_f64().max(1e-9);
        Summary {
            name: name.into(),
            concurrency,
            requests: h.len(),
            errors,
            seconds: round3(secs),
            per_second: round3(h.len() as f64 / secs),
            p50_ms: round3(ms(0.50)),
            p99_ms: round3(ms(0.99)),
            p999_ms: round3(ms(0.999)),
            max_ms: round3(h.max() as f64 / 1000.0),
        }
    }

    /// Print as one JSON line on stdout (what bench/run.sh collects).
    pub fn emit(&self) {
        println!(
            "{}",
            serde_json::to_string(self).expect("summary serializes")
        );
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
