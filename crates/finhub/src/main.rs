//! The `finhub` command line: serve, migrate, seed, client, world, token.

use clap::{Args, Parser, Subcommand};
use finhub::config::{init_tracing, LogFormat, DEFAULT_DATABASE_URL, DEFAULT_LISTEN};
use finhub::sandbox::SandboxState;
use finhub::{assemble, AssembleOptions};
use finhub_core::clock::Clock;
use finhub_oauth::{NewClient, OAuthConfig};
use finhub_store::{Store, StoreOptions};
use serde_json::{Map, Value};
use std::net::SocketAddr;
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
    /// Start the server (migrates, and builds a demo world on an empty database).
    Serve(ServeArgs),
    /// Create or upgrade the database schema.
    Migrate,
    /// Generate a deterministic synthetic world.
    Seed(SeedArgs),
    /// Register and list OAuth clients.
    Client {
        #[command(subcommand)]
        what: ClientCommand,
    },
    /// Look at the world.
    World {
        #[command(subcommand)]
        what: WorldCommand,
    },
    /// Print an access token for a client (client credentials grant), ready for curl.
    Token(TokenArgs),
    /// The Konaplate platform's projects, keys and sandbox switches.
    Konaplate {
        #[command(subcommand)]
        what: finhub::konaplate_cli::KonaCommand,
    },
}

#[derive(Args)]
struct ServeArgs {
    #[arg(long, env = "FINHUB_LISTEN", default_value = DEFAULT_LISTEN)]
    listen: String,
    /// Sandbox admin key (generated once when absent).
    #[arg(long, env = "FINHUB_ADMIN_KEY", hide_env_values = true)]
    admin_key: Option<String>,
    /// People in the demo world built on an empty database (0: none).
    #[arg(long, default_value_t = finhub::demo::DEMO_PEOPLE)]
    demo_people: u64,
    /// Seconds between SIGTERM and closing the listener, while /healthz
    /// answers 503 so a load balancer stops sending new requests here.
    #[arg(long, env = "FINHUB_DRAIN_SECS", default_value_t = 0)]
    drain_secs: u64,
}

#[derive(Args)]
struct SeedArgs {
    #[arg(long, default_value_t = 1_000)]
    people: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long, default_value_t = 365)]
    history_days: u32,
    #[arg(long, default_value_t = 120)]
    max_tx_per_account: u32,
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand)]
enum ClientCommand {
    /// Register a client; prints its id and secret (the secret only now).
    Create(CreateArgs),
    /// List registered clients.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct CreateArgs {
    #[arg(long)]
    profile: String,
    #[arg(long)]
    name: String,
    #[arg(long = "redirect-uri")]
    redirect_uris: Vec<String>,
    /// Repeat for each scope (default: the profile's standard scopes).
    #[arg(long = "scope")]
    scopes: Vec<String>,
    #[arg(long)]
    org_code: Option<String>,
    #[arg(long)]
    json: bool,
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

#[derive(Args)]
struct TokenArgs {
    #[arg(long)]
    client_id: String,
    /// Secrets may begin with '-'; `--client-secret=...` is always safe.
    #[arg(
        long,
        env = "FINHUB_CLIENT_SECRET",
        hide_env_values = true,
        allow_hyphen_values = true
    )]
    client_secret: String,
    /// Space-separated scopes (default: all of the client's).
    #[arg(long)]
    scope: Option<String>,
    /// Print the whole token response as JSON instead of the bare token.
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let _log = init_tracing(cli.log);
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
    let opts = StoreOptions {
        row_cache: finhub::config::row_cache(),
        max_connections: finhub::config::db_pool()?,
        acquire_timeout: finhub::config::db_acquire_timeout()?,
        ..Default::default()
    };
    Store::open(url, opts, Clock::system())
        .await
        .map_err(|e| format!("cannot open {}: {e}", redact(url)).into())
}

/// The world and authorization server without the HTTP side (and without
/// touching the admin key).
async fn context(url: &str) -> AnyResult<SandboxState> {
    let store = open(url).await?;
    finhub::bootstrap_world(&store).await?;
    let world = store.clone().into_world();
    let oauth = finhub::app::oauth(&store, OAuthConfig::default()).await?;
    let profiles = finhub::app::profiles(&finhub::app::faces(
        &store,
        &world,
        &oauth,
        &Default::default(),
    ));
    Ok(SandboxState {
        world,
        store,
        oauth,
        profiles,
    })
}

async fn run(cli: Cli) -> AnyResult<()> {
    let db = cli.database_url.as_str();
    match cli.command {
        Command::Serve(args) => serve(db, args).await,
        Command::Migrate => migrate(db).await,
        Command::Seed(args) => seed(db, args).await,
        Command::Client { what } => client(db, what).await,
        Command::World { what } => world(db, what).await,
        Command::Token(t) => token(db, t).await,
        Command::Konaplate { what } => {
            let out = finhub::konaplate_cli::run(context(db).await?, what).await?;
            println!("{out}");
            Ok(())
        }
    }
}

async fn migrate(db: &str) -> AnyResult<()> {
    let store = open(db).await?;
    finhub::bootstrap_world(&store).await?;
    println!("database {} is up to date", redact(db));
    Ok(())
}

async fn seed(db: &str, a: SeedArgs) -> AnyResult<()> {
    let s = context(db).await?;
    let opts = finhub_seed::SeedOptions {
        people: a.people,
        seed: a.seed,
        history_days: a.history_days,
        max_tx_per_account: a.max_tx_per_account,
    };
    let bar = if a.json {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(a.people)
    };
    let r = finhub_seed::seed_world(&s.store, &opts, &bar).await?;
    bar.finish_and_clear();
    if a.json {
        let v = serde_json::json!({"people": r.people, "accounts": r.accounts,
            "postings": r.postings, "elapsed_ms": r.elapsed_ms});
        println!("{v}");
    } else {
        println!(
            "seeded {} people, {} accounts, {} postings in {} ms",
            r.people, r.accounts, r.postings, r.elapsed_ms
        );
    }
    Ok(())
}

async fn client(db: &str, what: ClientCommand) -> AnyResult<()> {
    let s = context(db).await?;
    match what {
        ClientCommand::Create(a) => create_client(&s, a).await,
        ClientCommand::List { json } => list_clients(&s, json).await,
    }
}

async fn create_client(s: &SandboxState, a: CreateArgs) -> AnyResult<()> {
    use finhub::sandbox::clients::{parse_profile, register, standard_scopes};
    let profile = parse_profile(&a.profile)?;
    let scopes = if a.scopes.is_empty() {
        standard_scopes(&s.profiles, profile)
    } else {
        a.scopes
    };
    let new = NewClient {
        profile,
        name: a.name,
        redirect_uris: a.redirect_uris,
        scopes,
        org_code: a.org_code,
    };
    let c = register(s, new, &s.profiles).await?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&c)?);
    } else {
        print_client(&c);
    }
    Ok(())
}

async fn list_clients(s: &SandboxState, json: bool) -> AnyResult<()> {
    let all = s.oauth.list_clients().await?;
    let views: Vec<_> = all
        .iter()
        .map(finhub::sandbox::clients::ClientView::from)
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&views)?);
        return Ok(());
    }
    for c in views {
        println!(
            "{}  {:<9} {:<12} {}  [{}]",
            c.client_id,
            c.profile,
            c.org_code,
            c.name,
            c.scopes.join(" ")
        );
    }
    Ok(())
}

async fn world(db: &str, what: WorldCommand) -> AnyResult<()> {
    let store = open(db).await?;
    finhub::bootstrap_world(&store).await?;
    match what {
        WorldCommand::People {
            limit,
            offset,
            json,
        } => people(&store, limit, offset, json).await,
        WorldCommand::Institutions { json } => institutions(&store, json).await,
    }
}

async fn people(store: &Store, limit: u32, offset: u64, json: bool) -> AnyResult<()> {
    let limit = limit.clamp(1, finhub::sandbox::people::MAX_PAGE);
    let world = store.clone().into_world();
    let page = finhub::sandbox::people::page(&world, store, limit, offset).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&page)?);
        return Ok(());
    }
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
                a.institution_code, a.kind, a.account_num, a.balance, a.currency, a.product_name
            );
        }
    }
    Ok(())
}

async fn institutions(store: &Store, json: bool) -> AnyResult<()> {
    use finhub_core::repo::InstitutionRepo;
    let all = store.list_institutions().await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(());
    }
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
    Ok(())
}

async fn token(db: &str, t: TokenArgs) -> AnyResult<()> {
    let s = context(db).await?;
    let client = s
        .oauth
        .authenticate_client(&t.client_id, &t.client_secret)
        .await
        .map_err(|e| e.description())?;
    let tok = s
        .oauth
        .issue_client_credentials(&client, t.scope.as_deref(), &s.profiles)
        .await
        .map_err(|e| e.description())?;
    if t.json {
        let v = serde_json::json!({
            "access_token": tok.access_token,
            "token_type": tok.token_type,
            "expires_in": tok.expires_in,
            "scope": tok.scope,
        });
        println!("{v}");
    } else {
        println!("{}", tok.access_token);
    }
    Ok(())
}

fn field<'a>(c: &'a Map<String, Value>, k: &str) -> &'a str {
    c.get(k).and_then(Value::as_str).unwrap_or("")
}

fn print_client(c: &Map<String, Value>) {
    println!("profile:       {}", field(c, "profile"));
    println!("name:          {}", field(c, "name"));
    println!("client_id:     {}", field(c, "client_id"));
    println!("client_secret: {}  (shown once)", field(c, "client_secret"));
    println!("org_code:      {}", field(c, "org_code"));
    for (k, v) in c {
        if ![
            "profile",
            "name",
            "client_id",
            "client_secret",
            "org_code",
            "created_at",
            "disabled",
        ]
        .contains(&k.as_str())
        {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            println!("{:<15}{v}", format!("{k}:"));
        }
    }
}

async fn serve(database_url: &str, args: ServeArgs) -> AnyResult<()> {
    let store = open(database_url).await?;
    let opts = AssembleOptions {
        admin_key: args.admin_key,
        faces: finhub::app::FaceOptions {
            oris_lax_scopes: finhub::config::oris_lax_scopes(),
            obp: finhub::config::obp()?,
        },
        ..Default::default()
    };
    let app = assemble(store.clone(), opts).await?;
    app.oauth
        .spawn_revocation_purge(std::time::Duration::from_secs(600));
    let listen = args.listen;
    let listener = tokio::net::TcpListener::bind(&listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let addr = listener.local_addr()?;
    if args.demo_people > 0 {
        demo(&app, addr, args.demo_people).await?;
    }
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
    // Not axum::serve: it leaves hyper without a timer, so a client
    // trickling its headers would hold a connection for ever.
    finhub_http::serve(
        listener,
        app.router,
        finhub_http::ServeConfig::default(),
        finhub_http::drain_then_stop(std::time::Duration::from_secs(args.drain_secs)),
    )
    .await?;
    store.db().close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Build the demo world on an empty database and print its clients.
async fn demo(app: &finhub::App, addr: SocketAddr, people: u64) -> AnyResult<()> {
    let s = SandboxState {
        world: app.world.clone(),
        store: app.store.clone(),
        oauth: app.oauth.clone(),
        profiles: app.profiles.clone(),
    };
    let demo = finhub::demo::ensure_demo(&s, people).await?;
    if let Some(r) = demo.seeded {
        println!(
            "demo world: {} people, {} accounts, {} postings",
            r.people, r.accounts, r.postings
        );
    }
    for c in &demo.clients {
        println!();
        print_client(c);
    }
    if let Some(k) = demo.clients.iter().find(|c| field(c, "profile") == "kftc") {
        println!("\nget a token:");
        println!(
            "  curl -s http://{addr}/oauth/2.0/token -d grant_type=client_credentials \
             -d client_id={} -d client_secret={} -d scope=oob",
            field(k, "client_id"),
            field(k, "client_secret")
        );
    }
    if let Some(f) = &demo.oris {
        println!(
            "\nORIS agency {} {} ({}): {} / {}  (shown once)",
            f.agency.agency_code,
            f.agency.agency_name,
            f.agency.agency_id,
            f.admin.email,
            f.password
        );
        println!(
            "  curl -s http://{addr}/api/oris/v1/auth/login -H 'Content-Type: application/json' \
             -d '{{\"email\":\"{}\",\"password\":\"{}\"}}'",
            f.admin.email, f.password
        );
    }
    if let Some(p) = &demo.konaplate {
        print_kona_project(p, addr);
    }
    if !demo.clients.is_empty() || demo.oris.is_some() || demo.konaplate.is_some() {
        println!();
    }
    Ok(())
}

/// A Konaplate project's credentials, as the create answer holds them.
fn print_kona_project(p: &Value, addr: SocketAddr) {
    let f = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
    println!(
        "\nKonaplate project {} ({}), shown once:\n  X-KM-User-AspId: {}\n  \
         X-KM-Access-Key: {}\n  secret key (signs X-KM-Tran-Token): {}\n  \
         X-KM-Crypto-Key-Id: {}",
        f("name"),
        f("project_id"),
        f("asp_id"),
        f("access_key"),
        f("secret_key"),
        f("crypto_key_id")
    );
    println!(
        "  server public key (encrypt requests to it):\n{}",
        f("server_public_key")
    );
    println!(
        "  client private key (decrypt answers with it):\n{}",
        f("client_private_key")
    );
    println!(
        "  APIs at http://{addr}/api/v1/... and http://{addr}/open-api/api/v1/...; \
         keys: GET /sandbox/konaplate/projects/{}",
        f("project_id")
    );
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
