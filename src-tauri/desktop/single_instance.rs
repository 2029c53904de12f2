//! One window per workspace: a second start of the app on a workspace that
//! is open already hands its plan file (if any) to the running app, which
//! brings its window to the front, and exits.
//!
//! How: the running app holds an exclusive lock on `WORKSPACE.lock` (the
//! database's path with `.lock` added) for as long as it runs, and listens on
//! a port of 127.0.0.1 that it writes, with a random token, to
//! `WORKSPACE.window` (readable by the user only). A second start that cannot
//! take the lock reads that file, connects, and sends one JSON line
//! `{"token": ..., "open": PATH or null}`; the running app answers `ok`, or
//! `closing` when its window is already closing, and then the second start
//! waits for the lock instead. The lock goes with the process, so a crash
//! leaves nothing that blocks the next start; a stale `.window` file is
//! ignored because its lock is free. Another workspace has another lock: each
//! has its own window.
//!
//! Owns: the lock, the hand-over file and its protocol. Must not touch the
//! store or the window's content: what to do with a handed-over file is the
//! caller's (`Handler`).

use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long a second start waits for a closing app to let the workspace go.
const WAIT_FOR_CLOSE: Duration = Duration::from_secs(15);
/// The longest hand-over line read (a path and a token).
const MAX_LINE: u64 = 64 * 1024;

/// What a start of the app on a workspace is.
pub enum Claim {
    /// The first: it owns the workspace's window until `Primary` is dropped.
    Primary(Primary),
    /// Another start had the workspace open and took the file over.
    HandedOver,
}

/// The running app's hold on its workspace.
pub struct Primary {
    _lock: File,
    listener: Option<TcpListener>,
    token: String,
    window_file: PathBuf,
    closing: Arc<AtomicBool>,
}

/// What the running app does with a hand-over: the file to open, if any.
pub type Handler = Box<dyn Fn(Option<PathBuf>) + Send + 'static>;

#[derive(Serialize, Deserialize)]
struct WindowFile {
    port: u16,
    token: String,
    pid: u32,
}

#[derive(Serialize, Deserialize)]
struct HandOver {
    token: String,
    open: Option<PathBuf>,
}

fn with_suffix(db: &Path, suffix: &str) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Claims the workspace at `db`; `open` is the plan file this start was
/// given (absolute). Errors say what went wrong and where.
pub fn claim(db: &Path, open: Option<&Path>) -> Result<Claim, String> {
    let lock_path = with_suffix(db, ".lock");
    let window_file = with_suffix(db, ".window");
    let deadline = Instant::now() + WAIT_FOR_CLOSE;
    loop {
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| format!("{}: {e}", lock_path.display()))?;
        match lock.try_lock() {
            Ok(()) => return primary(lock, window_file).map(Claim::Primary),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(format!("{}: {e}", lock_path.display()))
            }
        }
        match hand_over(&window_file, open) {
            Ok(true) => return Ok(Claim::HandedOver),
            // Closing, or not listening yet: wait for the lock.
            Ok(false) | Err(_) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(200))
            }
            Ok(false) => {
                return Err(format!(
                    "Flotilla is open on this workspace and did not close within {} s ({})",
                    WAIT_FOR_CLOSE.as_secs(),
                    lock_path.display()
                ))
            }
            Err(e) => {
                return Err(format!(
                    "Flotilla is open on this workspace but did not take the hand-over: {e}"
                ))
            }
        }
    }
}

fn primary(lock: File, window_file: PathBuf) -> Result<Primary, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("127.0.0.1: cannot listen for a second start: {e}"))?;
    let port = listener
        .local_addr()
        .map_err(|e| format!("127.0.0.1: {e}"))?
        .port();
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random token: {e}"))?;
    let token = hex::encode(bytes);
    let text = serde_json::to_string(&WindowFile {
        port,
        token: token.clone(),
        pid: std::process::id(),
    })
    .expect("serializes");
    write_private(&window_file, text.as_bytes())
        .map_err(|e| format!("{}: {e}", window_file.display()))?;
    Ok(Primary {
        _lock: lock,
        listener: Some(listener),
        token,
        window_file,
        closing: Arc::new(AtomicBool::new(false)),
    })
}

/// Writes the hand-over file readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.create(true).write(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Sends `open` to the app that holds the workspace. `Ok(true)`: it took it;
/// `Ok(false)`: it is closing.
fn hand_over(window_file: &Path, open: Option<&Path>) -> Result<bool, String> {
    let text = std::fs::read_to_string(window_file)
        .map_err(|e| format!("{}: {e}", window_file.display()))?;
    let w: WindowFile =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", window_file.display()))?;
    let addr = (Ipv4Addr::LOCALHOST, w.port).into();
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))
        .map_err(|e| format!("127.0.0.1:{}: {e}", w.port))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|e| e.to_string())?;
    let mut line = serde_json::to_string(&HandOver {
        token: w.token,
        open: open.map(Path::to_path_buf),
    })
    .expect("serializes");
    line.push('\n');
    stream
        .write_all(line.as_bytes())
        .map_err(|e| format!("127.0.0.1:{}: {e}", w.port))?;
    let mut answer = String::new();
    BufReader::new(stream)
        .take(64)
        .read_line(&mut answer)
        .map_err(|e| format!("127.0.0.1:{}: {e}", w.port))?;
    match answer.trim() {
        "ok" => Ok(true),
        "closing" => Ok(false),
        other => Err(format!("127.0.0.1:{}: unexpected answer {other:?}", w.port)),
    }
}

impl Primary {
    /// Serves hand-overs on a thread of its own: each valid one calls
    /// `handler` (on that thread). Call once.
    pub fn serve(&mut self, handler: Handler) {
        let Some(listener) = self.listener.take() else {
            return;
        };
        let token = self.token.clone();
        let closing = self.closing.clone();
        let spawned = std::thread::Builder::new()
            .name("single-instance".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    if let Some(open) = read_hand_over(&stream, &token) {
                        let mut stream = &stream;
                        if closing.load(Ordering::SeqCst) {
                            let _ = stream.write_all(b"closing\n");
                            continue;
                        }
                        let _ = stream.write_all(b"ok\n");
                        handler(open);
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::warn!(error = %e, "no hand-over thread: a second start opens a second window");
        }
    }

    /// From now on a second start waits for this one to end.
    pub fn closing(&self) {
        self.closing.store(true, Ordering::SeqCst);
    }

    /// `closing`, for a callback that outlives a borrow (the window's close).
    pub fn closer(&self) -> impl Fn() + Send + Sync + 'static {
        let closing = self.closing.clone();
        move || closing.store(true, Ordering::SeqCst)
    }
}

impl Drop for Primary {
    fn drop(&mut self) {
        self.closing();
        let _ = std::fs::remove_file(&self.window_file);
    }
}

/// The file a hand-over names (`Some(None)`: just bring the window up), or
/// `None` when the line is not a hand-over with the right token.
fn read_hand_over(stream: &TcpStream, token: &str) -> Option<Option<PathBuf>> {
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    let mut line = String::new();
    BufReader::new(stream)
        .take(MAX_LINE)
        .read_line(&mut line)
        .ok()?;
    let h: HandOver = serde_json::from_str(line.trim()).ok()?;
    if h.token != token {
        tracing::warn!("a hand-over with a wrong token was refused");
        return None;
    }
    Some(h.open)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_second_start_hands_its_file_to_the_first_and_another_workspace_is_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let Claim::Primary(mut first) = claim(&db, None).unwrap() else {
            panic!("the first start must own the workspace");
        };
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        first.serve(Box::new(move |open| tx.lock().unwrap().send(open).unwrap()));

        let plan = dir.path().join("q1.flotilla.json");
        assert!(matches!(
            claim(&db, Some(&plan)).unwrap(),
            Claim::HandedOver
        ));
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), Some(plan));
        assert!(matches!(claim(&db, None).unwrap(), Claim::HandedOver));
        assert_eq!(rx.recv_timeout(Duration::from_secs(5)).unwrap(), None);

        // Another workspace: another window.
        let other = dir.path().join("other.db");
        assert!(matches!(claim(&other, None).unwrap(), Claim::Primary(_)));
    }

    #[test]
    fn a_closed_app_leaves_the_workspace_free() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let first = claim(&db, None).unwrap();
        drop(first);
        assert!(matches!(claim(&db, None).unwrap(), Claim::Primary(_)));
    }

    #[test]
    fn a_closing_app_makes_the_second_start_wait_for_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let Claim::Primary(mut first) = claim(&db, None).unwrap() else {
            panic!("the first start must own the workspace");
        };
        first.serve(Box::new(|_| panic!("a closing app takes no hand-over")));
        first.closing();
        let releaser = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(600));
            drop(first);
        });
        assert!(matches!(claim(&db, None).unwrap(), Claim::Primary(_)));
        releaser.join().unwrap();
    }

    #[test]
    fn a_hand_over_with_a_wrong_token_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let Claim::Primary(mut first) = claim(&db, None).unwrap() else {
            panic!("the first start must own the workspace");
        };
        first.serve(Box::new(|_| panic!("a wrong token opens nothing")));
        let w: WindowFile =
            serde_json::from_str(&std::fs::read_to_string(with_suffix(&db, ".window")).unwrap())
                .unwrap();
        let mut s = TcpStream::connect((Ipv4Addr::LOCALHOST, w.port)).unwrap();
        s.write_all(b"{\"token\":\"guess\",\"open\":\"/etc/passwd\"}\n")
            .unwrap();
        s.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        assert_eq!(answer, "", "no answer to a wrong token");
    }
}
