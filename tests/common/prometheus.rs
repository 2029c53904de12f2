//! A real Prometheus server (Debian's `prometheus`) for one test, on
//! 127.0.0.1 with its own data folder, scraping one exporter the test runs
//! (an HTTP server whose `/metrics` text the test sets) every second. Killed
//! when dropped. A missing program fails the test with the install hint.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct RealPrometheus {
    child: Child,
    pub port: u16,
    _dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl RealPrometheus {
    /// Starts Prometheus scraping `http://{exporter}/metrics`, and waits until
    /// it has scraped it once (the target is `up`).
    pub fn start(exporter: &str) -> RealPrometheus {
        super::keyring::require("prometheus");
        let dir = tempfile::tempdir().expect("temp dir");
        let config: PathBuf = dir.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['{exporter}']\n"
            ),
        )
        .expect("config written");
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("prometheus.log")).expect("log");
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("prometheus starts");
        let p = RealPrometheus {
            child,
            port,
            _dir: dir,
        };
        p.wait_until_scraped();
        p
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// One instant query, as the test sees it (JSON).
    pub fn query(&self, q: &str) -> Option<serde_json::Value> {
        let out = Command::new("curl")
            .args(["-s", "-G", "--max-time", "5"])
            .arg(format!("{}/api/v1/query", self.url()))
            .arg("--data-urlencode")
            .arg(format!("query={q}"))
            .output()
            .ok()?;
        serde_json::from_slice(&out.stdout).ok()
    }

    fn wait_until_scraped(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            let up = self
                .query("up{job=\"app\"} == 1")
                .and_then(|v| {
                    v.pointer("/data/result")
                        .and_then(|r| r.as_array())
                        .map(|r| !r.is_empty())
                })
                .unwrap_or(false);
            if up {
                return;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        panic!(
            "Prometheus did not scrape the exporter within 60 s; its log: {}",
            std::fs::read_to_string(self._dir.path().join("prometheus.log")).unwrap_or_default()
        );
    }

    /// Waits until `q` answers at least one sample (the exporter's new text
    /// has been scraped).
    pub fn wait_for_series(&self, q: &str, n: usize) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            let count = self
                .query(q)
                .and_then(|v| {
                    v.pointer("/data/result")
                        .and_then(|r| r.as_array())
                        .map(Vec::len)
                })
                .unwrap_or(0);
            if count >= n {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("Prometheus never answered {n} series for {q}");
    }
}

impl Drop for RealPrometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
