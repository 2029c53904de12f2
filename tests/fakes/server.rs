//! An HTTP/1.1 server (hyper) on 127.0.0.1 for the executor's tests: each fake
//! service is a handler over it. It keeps connections alive, records every
//! request, and can answer slowly, hang, answer huge bodies or redirect.
//! It stops when dropped; every wait in it is bounded.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

/// A request as the fake saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
    pub fn query(&self) -> &str {
        self.target.split_once('?').map(|x| x.1).unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
    /// A form field of an `application/x-www-form-urlencoded` body.
    pub fn form(&self, key: &str) -> Option<String> {
        self.body.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (decode(k) == key).then(|| decode(v))
        })
    }
}

pub fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(v) => {
                        out.push(v);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// How to answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Option<Duration>,
    /// Never answer (the connection is held for 30 s, then closed).
    pub hang: bool,
}

impl Answer {
    pub fn json(status: u16, v: serde_json::Value) -> Answer {
        Answer {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: v.to_string().into_bytes(),
            delay: None,
            hang: false,
        }
    }
    pub fn status(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: None,
            hang: false,
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Answer {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn hang() -> Answer {
        Answer {
            hang: true,
            ..Answer::status(200)
        }
    }
    pub fn slow(mut self, d: Duration) -> Answer {
        self.delay = Some(d);
        self
    }
    /// A body of `n` bytes of JSON-ish filler.
    pub fn huge(n: usize) -> Answer {
        let mut body = vec![b' '; n];
        body[0] = b'{';
        body[n - 1] = b'}';
        Answer {
            body,
            ..Answer::status(200)
        }
    }
    pub fn redirect(to: &str) -> Answer {
        Answer::status(302).header("Location", to)
    }
}

pub type Handler = Arc<dyn Fn(&Seen) -> Answer + Send + Sync>;

/// A running fake; stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    /// Answers that replace the service's own, by (method, path): how a test
    /// makes any fake fail, hang, answer slowly or hugely, or redirect.
    pub overrides: Arc<Mutex<Vec<(String, String, Answer)>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(handler: Handler) -> Server {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let overrides: Arc<Mutex<Vec<(String, String, Answer)>>> = Arc::new(Mutex::new(Vec::new()));
        let over = overrides.clone();
        let handler: Handler = Arc::new(move |req: &Seen| {
            let found = over
                .lock()
                .unwrap()
                .iter()
                .find(|(m, p, _)| *m == req.method && p == req.path())
                .map(|(_, _, a)| a.clone());
            found.unwrap_or_else(|| handler(req))
        });
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let seen2 = seen.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let accept = async {
                    loop {
                        let Ok((sock, _)) = listener.accept().await else {
                            continue;
                        };
                        let _ = sock.set_nodelay(true);
                        let h = handler.clone();
                        let seen = seen2.clone();
                        tokio::spawn(serve(sock, h, seen));
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stop_rx => {}
                }
            });
            rt.shutdown_timeout(Duration::from_millis(100));
        });
        let addr = addr_rx
            .recv_timeout(Duration::from_secs(10))
            .expect("the fake server starts");
        Server {
            addr,
            seen,
            overrides,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// From now on, answers `method path` with `answer`.
    pub fn answer(&self, method: &str, path: &str, answer: Answer) {
        self.overrides
            .lock()
            .unwrap()
            .push((method.to_string(), path.to_string(), answer));
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// Requests whose method and path match.
    pub fn hits(&self, method: &str, path: &str) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.method == method && s.path() == path)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serves one connection with hyper's HTTP/1.1 server: every request is
/// recorded, then answered by the handler (or by an override).
async fn serve(sock: TcpStream, handler: Handler, seen: Arc<Mutex<Vec<Seen>>>) {
    let service = service_fn(move |req: Request<Incoming>| {
        let handler = handler.clone();
        let seen = seen.clone();
        async move {
            let method = req.method().as_str().to_string();
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            let headers: Vec<(String, String)> = req
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
                .collect();
            let body = req.into_body().collect().await?.to_bytes();
            let req = Seen {
                method,
                target,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
            };
            seen.lock().unwrap().push(req.clone());
            let answer = handler(&req);
            if answer.hang {
                // Never answers: the connection closes after 30 s.
                tokio::time::sleep(Duration::from_secs(30)).await;
                return Err(Hung);
            }
            if let Some(d) = answer.delay {
                tokio::time::sleep(d).await;
            }
            let mut out = Response::builder().status(answer.status);
            for (k, v) in &answer.headers {
                out = out.header(k.as_str(), v.as_str());
            }
            Ok(out
                .body(Full::new(Bytes::from(answer.body)))
                .expect("a valid answer"))
        }
    });
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(sock), service)
        .await;
}

/// Why a hung answer ends its connection without a response.
#[derive(Debug)]
struct Hung;

impl std::fmt::Display for Hung {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the fake hung up without answering")
    }
}

impl std::error::Error for Hung {}

impl From<hyper::Error> for Hung {
    fn from(_: hyper::Error) -> Hung {
        Hung
    }
}
