//! A local stand-in for a deploy target, for rehearsing release day on one
//! machine: it answers the generic webhook paths of the sample plan
//! (`POST /deploy/X`, `GET /deploy/X/status`, `GET /health/X`, `POST
//! /rollback/X`) and a Prometheus instant query (`GET /api/v1/query`, always
//! 0). It listens on loopback only and deploys nothing.
//!
//! `flotilla rehearsal-target` runs it; the benchmark uses it too.

use serde_json::json;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
        tokio::spawn(async move {
            let _ = serve(sock, state, running_polls).await;
        });
    }
}

fn answer(state: &Mutex<Deploys>, method: &str, target: &str, running_polls: u32) -> (u16, String) {
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

async fn serve(
    mut sock: TcpStream,
    state: Arc<Mutex<Deploys>>,
    running_polls: u32,
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    loop {
        let head_end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p;
            }
            if buf.len() > 64 * 1024 {
                return Ok(());
            }
            let mut chunk = [0u8; 4096];
            let n = sock.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or("").split(' ');
        let method = first.next().unwrap_or("").to_string();
        let target = first.next().unwrap_or("").to_string();
        let len: usize = lines
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        let end = head_end + 4 + len.min(1024 * 1024);
        while buf.len() < end {
            let mut chunk = [0u8; 4096];
            let n = sock.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        buf.drain(..end);
        let (status, body) = answer(&state, &method, &target, running_polls);
        let reason = match status {
            200 => "OK",
            202 => "Accepted",
            _ => "Not Found",
        };
        let out = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{body}",
            body.len()
        );
        sock.write_all(out.as_bytes()).await?;
    }
}
