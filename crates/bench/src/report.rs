//! The side-by-side table: reads every JSON line the run wrote and prints
//! the figures as ratios, with the absolute numbers marked as this machine's.

use serde_json::Value;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Directory of *.jsonl files written by bench/run.sh.
    #[arg(long, default_value = "bench/out")]
    pub dir: PathBuf,
}

struct Rows(Vec<Value>);

impl Rows {
    fn get(&self, name: &str, c: Option<u64>) -> Option<&Value> {
        self.0
            .iter()
            .rev()
            .find(|v| v["name"] == name && c.is_none_or(|c| v["concurrency"].as_u64() == Some(c)))
    }
    fn f(&self, name: &str, c: Option<u64>, field: &str) -> Option<f64> {
        self.get(name, c).and_then(|v| v[field].as_f64())
    }
    fn peak(&self, name: &str) -> Option<(u64, f64)> {
        self.0
            .iter()
            .filter(|v| v["name"] == name)
            .filter_map(|v| Some((v["concurrency"].as_u64()?, v["per_second"].as_f64()?)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

fn load(dir: &PathBuf) -> Result<Rows, String> {
    let mut rows = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| e.to_string())?;
        for line in text.lines() {
            if let Ok(v) = serde_json::from_str::<Value>(line) {
                if v.get("name").is_some() || v.get("meta").is_some() {
                    rows.push(v);
                }
            }
        }
    }
    Ok(Rows(rows))
}

fn n(x: Option<f64>) -> String {
    match x {
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
        None => "—".into(),
    }
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

fn r(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.2}×")).unwrap_or_else(|| "—".into())
}

fn verdict(ok: Option<bool>) -> &'static str {
    match ok {
        Some(true) => "met",
        Some(false) => "NOT met",
        None => "not measured",
    }
}

pub fn run(args: &ReportArgs) -> Result<(), String> {
    let rows = load(&args.dir)?;
    let out = render(&rows);
    print!("{out}");
    std::fs::write(args.dir.join("summary.md"), &out).map_err(|e| e.to_string())?;
    Ok(())
}

fn render(rows: &Rows) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "## finhub bench — ratios (absolute numbers: this machine's only)\n"
    );
    http_reads(&mut o, rows);
    transfers(&mut o, rows);
    paced(&mut o, rows);
    nodes(&mut o, rows);
    let scale_ratios = scale(&mut o, rows);
    targets(&mut o, rows, &scale_ratios);
    for m in rows.0.iter().filter(|v| v.get("meta").is_some()) {
        let _ = writeln!(o, "\n`{}`", m);
    }
    o
}

/// 1-2: the HTTP ceiling and authorized reads.
fn http_reads(o: &mut String, rows: &Rows) {
    let _ = writeln!(o, "### 1–2. HTTP ceiling and authorized balance reads\n");
    let _ = writeln!(
        o,
        "| series | conns | req/s (this machine) | p50 ms | p99 ms | ratio to ceiling |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|");
    let ceiling = rows.f("http.ceiling", None, "per_second");
    for name in [
        "http.ceiling",
        "http.token_only",
        "http.balance",
        "http.kftc.balance",
        "http.kftc.balance_nolog",
    ] {
        if let Some(v) = rows.get(name, None) {
            let rps = v["per_second"].as_f64();
            let _ = writeln!(
                o,
                "| {name} | {} | {} | {} | {} | {} |",
                v["concurrency"],
                n(rps),
                n(v["p50_ms"].as_f64()),
                n(v["p99_ms"].as_f64()),
                r(ratio(rps, ceiling))
            );
        }
    }
}

/// Several nodes on one PostgreSQL (bench/nodes.sh): the same load through
/// one node and through three.
fn nodes(o: &mut String, rows: &Rows) {
    if rows.get("nodes.withdraw.1node", None).is_none() {
        return;
    }
    let _ = writeln!(
        o,
        "\n### Three nodes on one PostgreSQL against one (target ≥ 0.9×)\n"
    );
    let _ = writeln!(
        o,
        "| series | 1 node req/s | 3 nodes req/s | errors (1 / 3) | 3 / 1 |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|");
    for what in ["withdraw", "balance"] {
        let one = rows.get(&format!("nodes.{what}.1node"), None);
        let three = rows.get(&format!("nodes.{what}.3node"), None);
        let (Some(one), Some(three)) = (one, three) else {
            continue;
        };
        let (a, b) = (one["per_second"].as_f64(), three["per_second"].as_f64());
        let _ = writeln!(
            o,
            "| {what} | {} | {} | {} / {} | {} |",
            n(a),
            n(b),
            one["errors"],
            three["errors"],
            r(ratio(b, a))
        );
    }
}

/// 3: durable transfers beside pgbench.
fn transfers(o: &mut String, rows: &Rows) {
    let _ = writeln!(
        o,
        "\n### 3. Durable transfers (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on)\n"
    );
    let _ = writeln!(o, "| series | clients | TPS (this machine) | p50 ms | p99 ms | p99.9 ms | errors | ratio to pgbench tpcb-like |");
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|");
    let series = [
        "store.transfer.sqlite",
        "store.transfer.postgres",
        "http.withdraw.sqlite",
        "http.withdraw.postgres",
        "pgbench.tpcb_like",
    ];
    for name in series {
        for c in [1u64, 16, 64] {
            if let Some(v) = rows.get(name, Some(c)) {
                let tps = v["per_second"].as_f64();
                let pg = rows.f("pgbench.tpcb_like", Some(c), "per_second");
                let _ = writeln!(
                    o,
                    "| {name} | {c} | {} | {} | {} | {} | {} | {} |",
                    n(tps),
                    n(v["p50_ms"].as_f64()),
                    n(v["p99_ms"].as_f64()),
                    n(v["p999_ms"].as_f64()),
                    v["errors"].as_u64().unwrap_or(0),
                    r(ratio(tps, pg))
                );
            }
        }
    }
}

/// The series paced at half of their peak.
const PACED: [&str; 4] = [
    "store.transfer_paced.sqlite",
    "store.transfer_paced.postgres",
    "http.withdraw_paced.sqlite",
    "http.withdraw_paced.postgres",
];

fn paced(o: &mut String, rows: &Rows) {
    let _ = writeln!(
        o,
        "\n| paced at half of peak | rate/s | p50 ms | p99 ms | p99.9 ms |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|");
    for name in PACED {
        if let Some(v) = rows.get(name, None) {
            let _ = writeln!(
                o,
                "| {name} | {} | {} | {} | {} |",
                n(v["per_second"].as_f64()),
                n(v["p50_ms"].as_f64()),
                n(v["p99_ms"].as_f64()),
                n(v["p999_ms"].as_f64())
            );
        }
    }
}

/// 4: scale. Returns the p50 ratios, for the targets.
fn scale(o: &mut String, rows: &Rows) -> Vec<f64> {
    let _ = writeln!(
        o,
        "\n### 4. Scale: one page / one lookup, small vs large (sequential caller)\n"
    );
    let _ = writeln!(o, "| series | small p50 ms | large p50 ms | p50 ratio | small p99 ms | large p99 ms | p99 ratio |");
    let _ = writeln!(o, "|---|---|---|---|---|---|---|");
    let mut scale_ratios = Vec::new();
    for backend in ["sqlite", "postgres"] {
        for (stem, unit) in [
            ("paging.first", "rows"),
            ("paging.deep", "rows"),
            ("http.transaction_list", "rows"),
            ("lookup.person_accounts", "people"),
        ] {
            scale_ratios.extend(scale_row(o, rows, &format!("{stem}.{backend}"), unit));
        }
    }
    scale_ratios
}

/// One scale series, smallest size against largest; its p50 ratio.
fn scale_row(o: &mut String, rows: &Rows, series: &str, unit: &str) -> Option<f64> {
    // The smallest and the largest size measured for this series.
    let prefix = format!("{series}.{unit}");
    let mut sizes: Vec<u64> = rows
        .0
        .iter()
        .filter_map(|v| v["name"].as_str()?.strip_prefix(&prefix)?.parse().ok())
        .collect();
    sizes.sort_unstable();
    let (Some(&lo), Some(&hi)) = (sizes.first(), sizes.last()) else {
        return None;
    };
    if lo == hi {
        return None;
    }
    let (small, large) = (format!("{unit}{lo}"), format!("{unit}{hi}"));
    let s = format!("{prefix}{lo}");
    let l = format!("{prefix}{hi}");
    let (Some(sv), Some(lv)) = (rows.get(&s, None), rows.get(&l, None)) else {
        return None;
    };
    let p50 = ratio(lv["p50_ms"].as_f64(), sv["p50_ms"].as_f64());
    let p99 = ratio(lv["p99_ms"].as_f64(), sv["p99_ms"].as_f64());
    let _ = writeln!(
        o,
        "| {series} ({small} → {large}) | {} | {} | {} | {} | {} | {} |",
        n(sv["p50_ms"].as_f64()),
        n(lv["p50_ms"].as_f64()),
        r(p50),
        n(sv["p99_ms"].as_f64()),
        n(lv["p99_ms"].as_f64()),
        r(p99)
    );
    p50
}

/// The first of `names` measured, else the last.
fn measured<'a>(rows: &Rows, names: [&'a str; 2], c: Option<u64>) -> &'a str {
    if rows.get(names[0], c).is_some() {
        names[0]
    } else {
        names[1]
    }
}

fn targets(o: &mut String, rows: &Rows, scale_ratios: &[f64]) {
    let _ = writeln!(o, "\n### Targets\n");
    // The real server's KFTC face when measured, else the bench's own stack.
    let reads_name = measured(rows, ["http.kftc.balance", "http.balance"], None);
    let ceiling = rows.f("http.ceiling", None, "per_second");
    let reads = ratio(rows.f(reads_name, None, "per_second"), ceiling);
    let pg_name = measured(
        rows,
        ["http.withdraw.postgres", "store.transfer.postgres"],
        Some(16),
    );
    let pg16 = ratio(
        rows.f(pg_name, Some(16), "per_second"),
        rows.f("pgbench.tpcb_like", Some(16), "per_second"),
    );
    let sq_name = measured(
        rows,
        ["http.withdraw.sqlite", "store.transfer.sqlite"],
        None,
    );
    let sq_peak = rows.peak(sq_name);
    let worst_scale = scale_ratios
        .iter()
        .copied()
        .fold(None, |m: Option<f64>, x| Some(m.map_or(x, |m| m.max(x))));
    let _ = writeln!(o, "| target | figure | verdict |");
    let _ = writeln!(o, "|---|---|---|");
    let _ = writeln!(
        o,
        "| authorized balance reads ≥ 0.50× ceiling ({reads_name}) | {} | {} |",
        r(reads),
        verdict(reads.map(|x| x >= 0.5))
    );
    let _ = writeln!(
        o,
        "| durable PostgreSQL transfers ≥ 1.0× pgbench tpcb-like @16 ({pg_name}) | {} | {} |",
        r(pg16),
        verdict(pg16.map(|x| x >= 1.0))
    );
    let _ = writeln!(
        o,
        "| durable SQLite transfers ≥ 5,000/s ({sq_name}) | {} | {} |",
        sq_peak
            .map(|(c, t)| format!("{t:.0}/s at {c} clients"))
            .unwrap_or("—".into()),
        verdict(sq_peak.map(|(_, t)| t >= 5000.0))
    );
    for name in PACED {
        if let Some(p99) = rows.f(name, None, "p99_ms") {
            let _ = writeln!(
                o,
                "| p99 ≤ 10 ms at half of peak ({name}) | {p99:.2} ms | {} |",
                verdict(Some(p99 <= 10.0))
            );
        }
    }
    let _ = writeln!(
        o,
        "| paging and lookups flat (≤ 1.5×) 1,000 → 1,000,000 | worst p50 ratio {} | {} |",
        r(worst_scale),
        verdict(worst_scale.map(|x| x <= 1.5))
    );
}
