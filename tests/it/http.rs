//! A `cysh serve` running in-process on 127.0.0.1 with an OS-chosen port, and a small
//! raw HTTP client for the server tests. Every server stops when its handle is dropped.

use cysh::cluster::{Cluster, Config};
use cysh::server::{self, Options, auth};
use std::sync::Arc;
use std::time::Duration;
use tokio::runtime::Runtime;

/// The password of `neo4j` on test servers.
pub const PASSWORD: &str = "test-password";

/// Users for the impersonation tests: carol may impersonate alice, and nobody else.
pub const IMPERSONATION_USERS: &[&str] = &[
    "CREATE USER alice SET PASSWORD 'alice-secret' CHANGE NOT REQUIRED",
    "CREATE USER bob SET PASSWORD 'bob-secret' CHANGE NOT REQUIRED",
    "CREATE USER carol SET PASSWORD 'carol-secret' CHANGE NOT REQUIRED",
    "CREATE ROLE imp",
    "GRANT IMPERSONATE (alice) ON DBMS TO imp",
    "GRANT ROLE imp TO carol",
];

/// A running server.
pub struct TestServer {
    pub rt: Runtime,
    pub base: String,
    /// `127.0.0.1:PORT` of the Bolt listener every test server also has.
    pub bolt: String,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// A reply: status, content type, body text.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Reply {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The top-level keys of the body, in order.
    pub fn keys(&self) -> Vec<String> {
        self.json()
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The first error code in the body.
    pub fn code(&self) -> String {
        self.json()["errors"][0]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

impl TestServer {
    /// A server with `servers` servers and the given options (authentication as
    /// `neo4j`/[`PASSWORD`] unless `options.authenticator` is set by the caller).
    pub fn start_with(servers: usize, options: Options) -> TestServer {
        TestServer::start_with_config(Config::with_servers(servers), options)
    }

    /// A server over a new cluster set up by `config`.
    pub fn start_with_config(config: Config, mut options: Options) -> TestServer {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        if options.authenticator.is_none() {
            let users = auth::MemoryUsers::new();
            users.set_password("neo4j", PASSWORD).expect("hash");
            options.authenticator = Some(Arc::new(users));
        }
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let bolt_listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let bolt = bolt_listener.local_addr().expect("addr").to_string();
        if options.bolt.is_none() {
            options.bolt = Some(server::bolt::BoltListener {
                listener: bolt_listener,
                advertised: bolt.clone(),
            });
        }
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let cluster = Cluster::new(config).expect("cluster");
        let done = rt.spawn(server::serve(listener, cluster, options, async move {
            let _ = stopped.await;
        }));
        // reqwest is built without a default TLS provider: cysh installs ring.
        cysh::client::tls::install_crypto_provider();
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client");
        TestServer {
            rt,
            base: format!("http://{addr}"),
            bolt,
            client,
            stop: Some(stop),
            done: Some(done),
        }
    }

    /// A server with default options and three servers.
    pub fn start() -> TestServer {
        TestServer::start_with(3, Options::default())
    }

    /// The address for `cysh -a`.
    pub fn address(&self) -> &str {
        &self.base
    }

    /// Sends a request. `headers` are `(name, value)` pairs; `auth` adds Basic
    /// credentials for neo4j.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut rb = self
            .client
            .request(method, format!("{}{}", self.base, path));
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.body(b);
        }
        self.rt.block_on(async move {
            let r = rb.send().await.expect("request sent");
            let status = r.status().as_u16();
            let headers = r.headers().clone();
            let content_type = headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let body = r.text().await.expect("body");
            Reply {
                status,
                content_type,
                headers,
                body,
            }
        })
    }

    /// POSTs a JSON body with neo4j's credentials.
    pub fn post(&self, path: &str, body: &str) -> Reply {
        self.send(
            "POST",
            path,
            &[
                ("content-type", "application/json"),
                ("authorization", &basic("neo4j", PASSWORD)),
            ],
            Some(body.as_bytes().to_vec()),
        )
    }

    /// `cysh` connected to this server as neo4j (`-a URL -u neo4j -p PASSWORD`).
    pub fn shell(&self) -> assert_cmd::Command {
        let mut cmd = crate::util::cysh();
        cmd.args(["-a", &self.base, "-u", "neo4j", "-p", PASSWORD]);
        cmd
    }

    /// Runs each statement as neo4j, auto-commit, and requires it to succeed.
    pub fn admin(&self, statements: &[&str]) {
        for statement in statements {
            let r = self.post(
                "/db/system/query/v2",
                &serde_json::json!({ "statement": statement }).to_string(),
            );
            assert_eq!(r.status, 202, "{statement}: {}", r.body);
        }
    }

    /// POSTs with typed JSON both ways.
    pub fn post_typed(&self, path: &str, body: &str) -> Reply {
        self.send(
            "POST",
            path,
            &[
                ("content-type", "application/vnd.neo4j.query"),
                ("accept", "application/vnd.neo4j.query"),
                ("authorization", &basic("neo4j", PASSWORD)),
            ],
            Some(body.as_bytes().to_vec()),
        )
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            let _ = self
                .rt
                .block_on(async { tokio::time::timeout(Duration::from_secs(10), done).await });
        }
    }
}

/// `Basic base64(user:password)`.
pub fn basic(user: &str, password: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}
