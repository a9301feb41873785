//! The `finhub` command line: serve, migrate, world, ...

use clap::{Parser, Subcommand};
use finhub::config::{init_tracing, LogFormat, DEFAULT_DATABASE_URL, DEFAULT_LISTEN};
use finhub::{assemble, AssembleOptions};
use finhub_core::clock::Clock;
use finhub_store::{Store, StoreOptions};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "finhub", version, about = "One ledger, five open-finance APIs")]
struct Cli {
    /// Database URL: sqlite://file.db or postgres://user@host/db
    #[arg(long = "database", env = "FINHUB_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    /// Log format
    #[arg(long, env = "FINHUB_LOG", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    log: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the server (migrates, and seeds a demo world on an empty database).
    Serve {
        #[arg(long, env = "FINHUB_LISTEN", default_value = DEFAULT_LISTEN)]
        listen: String,
        /// Sandbox admin key (generated once when absent).
        #[arg(long, env = "FINHUB_ADMIN_KEY", hide_env_values = true)]
        admin_key: Option<String>,
    },
    /// Create or upgrade the database schema.
    Migrate,
    /// Look at the world.
    World {
        #[command(subcommand)]
        what: WorldCommand,
    },
}

#[derive(Subcommand)]
enum WorldCommand {
    /// List people with their accounts.
    People {
        #[arg(long, default_value_t = 20)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long)]
        json: bool,
    },
    /// List institutions.
    Institutions {
        #[arg(long)]
        json: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.log);
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type AnyResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn open(url: &str) -> AnyResult<Store> {
    Store::open(url, StoreOptions::default(), Clock::system())
        .await
        .map_err(|e| format!("cannot open {url}: {e}").into())
}

async fn run(cli: Cli) -> AnyResult<()> {
    match cli.command {
        Command::Serve { listen, admin_key } => serve(&cli.database_url, &listen, admin_key).await,
        Command::Migrate => {
            let store = open(&cli.database_url).await?;
            finhub::bootstrap_world(&store).await?;
            println!("database {} is up to date", redact(&cli.database_url));
            Ok(())
        }
        Command::World { what } => {
            let store = open(&cli.database_url).await?;
            finhub::bootstrap_world(&store).await?;
            let world = store.clone().into_world();
            match what {
                WorldCommand::People {
                    limit,
                    offset,
                    json,
                } => {
                    let limit = limit.clamp(1, finhub::sandbox::people::MAX_PAGE);
                    let page = finhub::sandbox::people::page(&world, limit, offset).await?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&page)?);
                    } else {
                        println!(
                            "{} people (showing {} from {})",
                            page.total,
                            page.people.len(),
                            offset
                        );
                        for p in &page.people {
                            println!(
                                "{}  {}  {}  {}",
                                p.person_id,
                                p.name,
                                p.birth_date,
                                p.phone.as_deref().unwrap_or("-")
                            );
                            for a in &p.accounts {
                                println!(
                                    "    {} {:<10} {:<16} {:>14} {}  {}",
                                    a.institution_code,
                                    a.kind,
                                    a.account_num,
                                    a.balance,
                                    a.currency,
                                    a.product_name
                                );
                            }
                        }
                    }
                    Ok(())
                }
                WorldCommand::Institutions { json } => {
                    use finhub_core::repo::InstitutionRepo;
                    let all = store.list_institutions().await?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&all)?);
                    } else {
                        for i in all {
                            println!(
                                "{}  {:<4} {:<10} {:<8} {}",
                                i.org_code,
                                i.bank_code.as_deref().unwrap_or("-"),
                                i.kind.as_str(),
                                i.status.as_str(),
                                i.name
                            );
                        }
                    }
                    Ok(())
                }
            }
        }
    }
}

async fn serve(database_url: &str, listen: &str, admin_key: Option<String>) -> AnyResult<()> {
    let store = open(database_url).await?;
    let app = assemble(
        store.clone(),
        AssembleOptions {
            admin_key,
            ..Default::default()
        },
    )
    .await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr()?;
    println!(
        "finhub listening on http://{addr}  (database {})",
        redact(database_url)
    );
    if let Some(k) = &app.generated_admin_key {
        println!("sandbox admin key (shown once; set FINHUB_ADMIN_KEY to choose your own): {k}");
    }
    // The last line of the banner: scripts and tests wait for it.
    println!("ready");
    tracing::info!(%addr, "listening");
    axum::serve(listener, app.router)
        .with_graceful_shutdown(finhub_http::shutdown_signal())
        .await?;
    store.db().close().await;
    tracing::info!("stopped");
    Ok(())
}

/// A database URL without its password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
