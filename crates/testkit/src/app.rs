//! The assembled server over a fresh store, in process or on a bound port.

use crate::http::Http;
use crate::ADMIN_KEY;
use finhub::app::FaceOptions;
use finhub::{assemble, App, AssembleOptions};
use finhub_core::clock::Clock;
use finhub_core::world::World;
use finhub_http::{ServeConfig, ShellConfig};
use finhub_oauth::OAuthConfig;
use finhub_store::testing::TestStore;
use finhub_store::Store;
use std::net::SocketAddr;

/// One test's server: the real `finhub::assemble` over its own store.
/// Derefs to [`Http`], so `app.get(..)`, `app.send(..)` drive its router.
pub struct TestApp {
    pub app: App,
    pub store: Store,
    /// The assembled world (`app.world`).
    pub world: World,
    /// The world's clock (the store's): tests move it.
    pub clock: Clock,
    pub admin_key: String,
    http: Http,
    addr: Option<SocketAddr>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _db: Option<TestStore>,
}

/// A test's server with defaults: a fresh SQLite file (a PostgreSQL schema
/// with FINHUB_TEST_DATABASE_URL), the kit's admin key, the system clock, in process.
pub async fn spawn_app() -> TestApp {
    TestApp::builder().spawn().await
}

/// What a test may change about its server; everything else is as
/// `finhub serve` runs it.
pub struct Builder {
    admin_key: String,
    shell: ShellConfig,
    oauth: OAuthConfig,
    faces: FaceOptions,
    clock: Option<Clock>,
    now: Option<String>,
    store: Option<Store>,
    serve: Option<ServeConfig>,
}

impl TestApp {
    pub fn builder() -> Builder {
        Builder {
            admin_key: ADMIN_KEY.to_owned(),
            shell: ShellConfig::default(),
            oauth: OAuthConfig::default(),
            faces: FaceOptions::default(),
            clock: None,
            now: None,
            store: None,
            serve: None,
        }
    }

    /// The bound port's address; fails the test when the app was not served.
    pub fn addr(&self) -> SocketAddr {
        self.addr
            .expect("this app is not served: TestApp::builder().serve(..)")
    }

    /// The sandbox's Authorization header value.
    pub fn admin_auth(&self) -> String {
        format!("Bearer {}", self.admin_key)
    }
}

impl std::ops::Deref for TestApp {
    type Target = Http;
    fn deref(&self) -> &Http {
        &self.http
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

impl Builder {
    pub fn admin_key(mut self, key: &str) -> Builder {
        self.admin_key = key.to_owned();
        self
    }

    pub fn shell(mut self, shell: ShellConfig) -> Builder {
        self.shell = shell;
        self
    }

    pub fn oauth(mut self, oauth: OAuthConfig) -> Builder {
        self.oauth = oauth;
        self
    }

    /// A face's own configuration (ORIS lax scopes).
    pub fn faces(mut self, faces: FaceOptions) -> Builder {
        self.faces = faces;
        self
    }

    /// The clock of the fresh store (ignored with [`Builder::store`]).
    pub fn clock(mut self, clock: Clock) -> Builder {
        self.clock = Some(clock);
        self
    }

    /// Put the world's clock at this RFC 3339 instant through the sandbox
    /// API once assembled, as a client of the sandbox does.
    pub fn now(mut self, rfc3339: &str) -> Builder {
        self.now = Some(rfc3339.to_owned());
        self
    }

    /// Assemble over this store instead of a fresh one (the caller keeps
    /// its database alive).
    pub fn store(mut self, store: Store) -> Builder {
        self.store = Some(store);
        self
    }

    /// Also serve the router on a free port of 127.0.0.1, as `finhub serve`
    /// does (`finhub_http::serve`); stopped when the app is dropped.
    pub fn serve(mut self, cfg: ServeConfig) -> Builder {
        self.serve = Some(cfg);
        self
    }

    pub async fn spawn(self) -> TestApp {
        let (store, db) = match self.store {
            Some(s) => (s, None),
            None => {
                let ts = TestStore::with_clock(self.clock.unwrap_or_else(Clock::system)).await;
                (ts.store.clone(), Some(ts))
            }
        };
        let opts = AssembleOptions {
            admin_key: Some(self.admin_key.clone()),
            shell: self.shell,
            oauth: self.oauth,
            faces: self.faces,
        };
        let app = assemble(store.clone(), opts).await.expect("assemble");
        let mut t = TestApp {
            clock: store.clock().clone(),
            http: Http::new(app.router.clone()),
            world: app.world.clone(),
            app,
            store,
            admin_key: self.admin_key,
            addr: None,
            stop: None,
            _db: db,
        };
        if let Some(cfg) = self.serve {
            t.bind(cfg).await;
        }
        if let Some(now) = self.now {
            t.set_now(&now).await;
        }
        t
    }
}

impl TestApp {
    async fn bind(&mut self, cfg: ServeConfig) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        self.addr = Some(listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(finhub_http::serve(
            listener,
            self.app.router.clone(),
            cfg,
            async move {
                let _ = rx.await;
            },
        ));
        self.stop = Some(tx);
    }
}
