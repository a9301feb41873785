//! finhub-bench: the load generator and measurements behind bench/run.sh.
//! Every series prints one JSON line on stdout; nothing here is a test.

mod ceiling;
mod client;
mod fresh;
mod history;
mod konaplate;
mod ledger;
mod load;
mod oris;
mod reads;
mod report;
mod scale;
mod stats;
mod walk;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "finhub-bench",
    about = "finhub load generator and throughput harness"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Serve the bare axum JSON route (GET /ceiling) on 127.0.0.1:PORT.
    Ceiling {
        #[arg(long, default_value_t = 18080)]
        port: u16,
    },
    /// Serve authorized balance reads (bearer check + ledger read) on 127.0.0.1:PORT.
    Reads(reads::ReadsArgs),
    /// Load one HTTP endpoint with keep-alive connections.
    Load(load::LoadArgs),
    /// Durable transfers through the store's ledger writer.
    Ledger(ledger::LedgerArgs),
    /// Paging and lookup latency at 1,000 vs 1,000,000 rows and people.
    Scale(scale::ScaleArgs),
    /// Append history lines to one account of a stopped server's store.
    History(history::HistoryArgs),
    /// Play a plan of requests in order, again and again (a client's whole sync).
    Walk(walk::WalkArgs),
    /// ORIS bulk reporting: a 100,000-row batch (gzip JSON chunks) against a
    /// running server, beside the same rows as single R1 calls.
    OrisBatch(oris::OrisBatchArgs),
    /// Konaplate charges (R1 + R2, signed, optionally JWE) on N connections
    /// against a running server.
    KonaCharge(konaplate::KonaChargeArgs),
    /// Print the side-by-side table from the JSON lines in a directory.
    Report(report::ReportArgs),
}

pub fn parse_list(s: &str) -> Result<Vec<usize>, String> {
    s.split(',')
        .filter(|x| !x.trim().is_empty())
        .map(|x| x.trim().parse().map_err(|_| format!("not a number: {x:?}")))
        .collect()
}

fn main() {
    let cli = Cli::parse();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let r = rt.block_on(async move {
        match cli.cmd {
            Cmd::Ceiling { port } => ceiling::serve(port).await.map_err(|e| e.to_string()),
            Cmd::Reads(a) => reads::serve(&a).await,
            Cmd::Load(a) => load::run(&a).await.map(|s| s.emit()),
            Cmd::Ledger(a) => ledger::run(&a).await,
            Cmd::Scale(a) => scale::run(&a).await,
            Cmd::History(a) => history::run(&a).await,
            Cmd::Report(a) => report::run(&a),
            Cmd::Walk(a) => walk::run(&a).await.map(|s| s.emit()),
            Cmd::OrisBatch(a) => oris::run(&a).await,
            Cmd::KonaCharge(a) => konaplate::run(&a).await,
        }
    });
    if let Err(e) = r {
        eprintln!("finhub-bench: {e}");
        std::process::exit(1);
    }
}
