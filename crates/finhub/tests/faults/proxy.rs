//! A TCP proxy between finhub and PostgreSQL that the test controls: it can
//! cut every live connection at once (a crash or restart), refuse new ones
//! (the server is down), swallow new ones without an answer (the host is
//! unreachable), and open again.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Forward to the upstream.
    Open,
    /// Reset each new connection at once (nothing listens).
    Refuse,
    /// Accept and never answer (packets dropped on the way).
    Blackhole,
}

pub struct Proxy {
    pub addr: SocketAddr,
    mode: watch::Sender<Mode>,
    cuts: watch::Sender<u64>,
    /// Local ports of the live upstream connections, to find their backends.
    ports: Arc<Mutex<HashSet<u16>>>,
    /// Lose the answer to the next COMMIT: the server commits, the client
    /// sees its connection reset.
    lose_commit: Arc<AtomicBool>,
}

impl Proxy {
    pub async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().unwrap();
        let (mode, _) = watch::channel(Mode::Open);
        let (cuts, _) = watch::channel(0u64);
        let ports: Arc<Mutex<HashSet<u16>>> = Default::default();
        let lose_commit: Arc<AtomicBool> = Default::default();
        let (mode2, cuts2, ports2) = (mode.clone(), cuts.clone(), ports.clone());
        let lose2 = lose_commit.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    continue;
                };
                let now = *mode2.borrow();
                match now {
                    Mode::Refuse => reset(sock),
                    Mode::Blackhole => {
                        let mut m = mode2.subscribe();
                        tokio::spawn(async move {
                            let mut sock = sock;
                            let mut buf = [0u8; 1024];
                            loop {
                                tokio::select! {
                                    // Read and drop what the client sends; stop when it gives up.
                                    n = sock.read(&mut buf) => if !matches!(n, Ok(n) if n > 0) { return },
                                    c = m.changed() => if c.is_err() || *m.borrow() != Mode::Blackhole {
                                        reset(sock);
                                        return;
                                    },
                                }
                            }
                        });
                    }
                    Mode::Open => {
                        let up = upstream.clone();
                        let cut = cuts2.subscribe();
                        let ports = ports2.clone();
                        tokio::spawn(pipe(sock, up, cut, ports, lose2.clone()));
                    }
                }
            }
        });
        Proxy {
            addr,
            mode,
            cuts,
            ports,
            lose_commit,
        }
    }

    pub fn lose_next_commit(&self) {
        self.lose_commit.store(true, Ordering::SeqCst);
    }

    /// Whether an armed COMMIT is still waiting to be lost.
    pub fn commit_armed(&self) -> bool {
        self.lose_commit.load(Ordering::SeqCst)
    }

    pub fn set(&self, m: Mode) {
        self.mode.send_replace(m);
    }

    /// Reset every live connection in both directions at once.
    pub fn cut(&self) {
        self.cuts.send_modify(|n| *n += 1);
    }

    pub fn upstream_ports(&self) -> Vec<i32> {
        self.ports
            .lock()
            .unwrap()
            .iter()
            .map(|p| *p as i32)
            .collect()
    }
}

/// Close with RST rather than FIN, as a dead peer's host answers.
// A zero linger never blocks on drop, which is what the deprecation warns of.
#[allow(deprecated)]
fn reset(sock: TcpStream) {
    let _ = sock.set_linger(Some(Duration::ZERO));
    drop(sock);
}

async fn pipe(
    mut client: TcpStream,
    upstream: String,
    mut cut: watch::Receiver<u64>,
    ports: Arc<Mutex<HashSet<u16>>>,
    lose_commit: Arc<AtomicBool>,
) {
    let Ok(mut server) = TcpStream::connect(&upstream).await else {
        reset(client);
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let port = server.local_addr().map(|a| a.port()).unwrap_or(0);
    ports.lock().unwrap().insert(port);
    let swallowing = AtomicBool::new(false);
    let (mut cr, mut cw) = client.split();
    let (mut sr, mut sw) = server.split();
    let up = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match cr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let chunk = &buf[..n];
            // sqlx commits with a simple query: 'Q', length, "COMMIT\0".
            if chunk.windows(7).any(|w| w == b"COMMIT\0")
                && lose_commit.swap(false, Ordering::SeqCst)
            {
                swallowing.store(true, Ordering::SeqCst);
            }
            if sw.write_all(chunk).await.is_err() {
                return;
            }
        }
    };
    let down = async {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match sr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if swallowing.load(Ordering::SeqCst) {
                // The server answered the COMMIT (so it is durable); the
                // client never hears of it.
                return;
            }
            if cw.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    let cut_now = tokio::select! {
        _ = up => false,
        _ = down => swallowing.load(Ordering::SeqCst),
        _ = cut.changed() => true,
    };
    ports.lock().unwrap().remove(&port);
    if cut_now {
        reset(client);
        reset(server);
    }
}

/// The URL with its host and port replaced by the proxy's, and the upstream
/// `host:port` it named (database, user and options are kept).
pub fn via(url: &str, proxy: SocketAddr) -> String {
    let (scheme, rest) = url.split_once("://").expect("url has a scheme");
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let (user, _host) = match authority.rsplit_once('@') {
        Some((u, h)) => (format!("{u}@"), h),
        None => (String::new(), authority),
    };
    format!("{scheme}://{user}{proxy}{tail}")
}

pub fn upstream_of(url: &str) -> String {
    let rest = url.split_once("://").expect("url has a scheme").1;
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.is_empty() { "127.0.0.1" } else { host };
    if host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        host.to_owned()
    } else {
        format!("{host}:5432")
    }
}

#[test]
fn urls_are_rewritten_keeping_database_and_options() {
    let p: SocketAddr = "127.0.0.1:6000".parse().unwrap();
    assert_eq!(
        via("postgres://postgres@127.0.0.1:5432/test?sslmode=disable", p),
        "postgres://postgres@127.0.0.1:6000/test?sslmode=disable"
    );
    assert_eq!(
        via("postgresql://u:pw@db/x", p),
        "postgresql://u:pw@127.0.0.1:6000/x"
    );
    assert_eq!(
        upstream_of("postgres://postgres@127.0.0.1:5432/test"),
        "127.0.0.1:5432"
    );
    assert_eq!(upstream_of("postgres://u@db/x"), "db:5432");
}
