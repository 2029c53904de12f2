//! A local stand-in for a deploy target, for rehearsing release day on one
//! machine: it answers the generic webhook paths of the sample plan
//! (`POST /deploy/X`, `GET /deploy/X/status`, `GET /health/X`, `POST
//! /rollback/X`), a Prometheus instant query (`GET /api/v1/query`, always
//! 0), and the sample's message webhook (`POST /messages`: each message's
//! subject is printed). It listens on loopback only and deploys nothing.
//!
//! `flotilla rehearsal-target` runs it; the benchmark uses it too.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::json;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
struct Deploys {
    /// Status polls answered per component since its trigger.
    polls: HashMap<String, u32>,
}

/// A running rehearsal target; stops when dropped.
pub struct RehearsalTarget {
    pub deploy: SocketAddr,
    pub metrics: Option<SocketAddr>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for RehearsalTarget {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl RehearsalTarget {
    /// Blocks until the target is stopped by a signal or `for_s` passes.
    pub fn wait(mut self, limit: Duration) {
        let stop = self.stop.take();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        rt.block_on(async {
            tokio::select! {
                _ = tokio::time::sleep(limit) => {}
                _ = tokio::signal::ctrl_c() => {}
            }
        });
        if let Some(s) = stop {
            let _ = s.send(());
        }
    }
}

fn loopback(addr: &str) -> std::io::Result<SocketAddr> {
    let a: SocketAddr = addr.parse().map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{addr}: expected IP:PORT"),
        )
    })?;
    if !a.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{addr}: the rehearsal target listens on loopback only"),
        ));
    }
    Ok(a)
}

/// Starts the target on `deploy` (and Prometheus on `metrics`), both
/// loopback `IP:PORT` (port 0: any free port). A component's status answers
/// `running` for its first `running_polls` polls after a trigger, then
/// `succeeded`.
pub fn start_rehearsal_target(
    deploy: &str,
    metrics: Option<&str>,
    running_polls: u32,
) -> std::io::Result<RehearsalTarget> {
    let deploy = loopback(deploy)?;
    let metrics = metrics.map(loopback).transpose()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("rehearsal-target".into())
        .spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            rt.block_on(async move {
                let state = Arc::new(Mutex::new(Deploys::default()));
                let d = match TcpListener::bind(deploy).await {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                let m = match metrics {
                    Some(a) => match TcpListener::bind(a).await {
                        Ok(l) => Some(l),
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    },
                    None => None,
                };
                let addrs = (
                    d.local_addr().expect("bound"),
                    m.as_ref().map(|l| l.local_addr().expect("bound")),
                );
                let _ = ready_tx.send(Ok(addrs));
                let serve_d = accept(d, state.clone(), running_polls);
                let serve_m = async {
                    match m {
                        Some(l) => accept(l, state.clone(), running_polls).await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    _ = serve_d => {}
                    _ = serve_m => {}
                    _ = stop_rx => {}
                }
            });
            rt.shutdown_timeout(Duration::from_millis(100));
        })?;
    let (deploy, metrics) = ready_rx
        .recv_timeout(Duration::from_secs(10))
        .map_err(|_| std::io::Error::other("the rehearsal target did not start"))??;
    Ok(RehearsalTarget {
        deploy,
        metrics,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

async fn accept(l: TcpListener, state: Arc<Mutex<Deploys>>, running_polls: u32) {
    loop {
        let Ok((sock, _)) = l.accept().await else {
            continue;
        };
        let _ = sock.set_nodelay(true);
        let state = state.clone();
        tokio::spawn(serve(sock, state, running_polls));
    }
}

fn answer(
    state: &Mutex<Deploys>,
    method: &str,
    target: &str,
    body: &[u8],
    running_polls: u32,
) -> (u16, String) {
    let path = target.split('?').next().unwrap_or("");
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    match (method, parts.as_slice()) {
        ("POST", ["deploy", c]) => {
            s.polls.insert(c.to_string(), 0);
            (202, json!({ "accepted": true, "component": c }).to_string())
        }
        ("GET", ["deploy", c, "status"]) => match s.polls.get_mut(*c) {
            None => (200, json!({ "state": "idle" }).to_string()),
            Some(n) => {
                *n += 1;
                let state = if *n <= running_polls {
                    "running"
                } else {
                    "succeeded"
                };
                (200, json!({ "state": state, "component": c }).to_string())
            }
        },
        ("GET", ["health", _]) => (200, json!({ "ok": true }).to_string()),
        ("POST", ["messages"]) => {
            let m: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
            match m["subject"].as_str() {
                Some(subject) => {
                    println!(
                        "rehearsal target: message to {}: {subject}",
                        m["audience"].as_str().unwrap_or("?")
                    );
                    (200, json!({ "received": true }).to_string())
                }
                None => (
                    400,
                    json!({ "error": "not a flotilla.message" }).to_string(),
                ),
            }
        }
        ("POST", ["rollback", c]) => (200, json!({ "rolled_back": c }).to_string()),
        ("GET", ["api", "v1", "query"]) => {
            let now = chrono::Utc::now().timestamp_millis() as f64 / 1000.0;
            (
                200,
                json!({ "status": "success", "data": { "resultType": "vector",
                        "result": [ { "metric": {}, "value": [now, "0"] } ] } })
                .to_string(),
            )
        }
        _ => (404, json!({ "error": "not found" }).to_string()),
    }
}

/// Serves one connection with hyper's HTTP/1.1 server (keep-alive, any
/// number of requests), each request answered by [`answer`].
async fn serve(sock: TcpStream, state: Arc<Mutex<Deploys>>, running_polls: u32) {
    let service = service_fn(move |req: Request<Incoming>| {
        let state = state.clone();
        async move {
            let method = req.method().as_str().to_string();
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            // The body is read whole, which also lets the connection be reused.
            let body = req
                .into_body()
                .collect()
                .await
                .map(|b| b.to_bytes())
                .unwrap_or_default();
            let (status, body) = answer(&state, &method, &target, &body, running_polls);
            Response::builder()
                .status(status)
                .header("Content-Type", "application/json")
                .body(Full::new(Bytes::from(body)))
        }
    });
    let _ = http1::Builder::new()
        .serve_connection(TokioIo::new(sock), service)
        .await;
}
