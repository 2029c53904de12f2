//! The run journal: one thread that owns the workspace connection and writes
//! every transition and audit record, batching whatever is queued into one
//! transaction (group commit), so that concurrent steps do not wait on each
//! other's disk writes and the async runtime never blocks on SQLite.

use crate::error::{Error, Result};
use crate::store::{RunWrite, Store};
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// A failed batch, shared by every write that waited on it.
type Failure = Arc<Error>;

enum Msg {
    /// Writes that land in one transaction together.
    Write(Vec<RunWrite>, Option<oneshot::Sender<Result<(), Failure>>>),
    Flush(oneshot::Sender<()>),
}

/// A handle to the journal thread; cheap to clone.
#[derive(Clone)]
pub struct Journal {
    tx: mpsc::Sender<Msg>,
    failed: Arc<Mutex<Option<Failure>>>,
}

impl Journal {
    /// Opens the workspace at `db` on a new thread.
    pub fn open(db: &Path) -> Result<Journal> {
        let mut store = Store::open(db)?;
        store.tune_for_run_journal()?;
        let (tx, rx) = mpsc::channel::<Msg>();
        let failed = Arc::new(Mutex::new(None));
        let failed_w = failed.clone();
        std::thread::Builder::new()
            .name("flotilla-journal".into())
            .spawn(move || {
                while let Ok(first) = rx.recv() {
                    let mut batch = vec![first];
                    while let Ok(m) = rx.try_recv() {
                        batch.push(m);
                    }
                    let writes: Vec<RunWrite> = batch
                        .iter()
                        .flat_map(|m| match m {
                            Msg::Write(w, _) => w.clone(),
                            Msg::Flush(_) => Vec::new(),
                        })
                        .collect();
                    let result = if writes.is_empty() {
                        Ok(())
                    } else {
                        store.write_runs(&writes).map_err(Arc::new)
                    };
                    if let Err(e) = &result {
                        *failed_w.lock().unwrap_or_else(|e| e.into_inner()) = Some(e.clone());
                    }
                    for m in batch {
                        match m {
                            Msg::Write(_, Some(ack)) => {
                                let _ = ack.send(result.clone());
                            }
                            Msg::Write(_, None) => {}
                            Msg::Flush(ack) => {
                                let _ = ack.send(());
                            }
                        }
                    }
                }
            })
            .map_err(|e| Error::Run(format!("cannot start the run journal: {e}")))?;
        Ok(Journal { tx, failed })
    }

    /// Writes `ws` in one transaction and waits until it is committed.
    pub async fn write_all(&self, ws: Vec<RunWrite>) -> Result<()> {
        let (ack, done) = oneshot::channel();
        self.tx
            .send(Msg::Write(ws, Some(ack)))
            .map_err(|_| Error::Run("the run journal stopped".into()))?;
        match done.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(Error::Run(format!("cannot record the run: {e}"))),
            Err(_) => Err(Error::Run("the run journal stopped".into())),
        }
    }

    /// Queues a write without waiting (audit records after a call).
    pub fn post(&self, w: RunWrite) {
        self.post_all(vec![w]);
    }

    /// Queues writes that land in one transaction, without waiting.
    pub fn post_all(&self, ws: Vec<RunWrite>) {
        let _ = self.tx.send(Msg::Write(ws, None));
    }

    /// Waits until everything queued is committed; fails if any write failed.
    pub async fn flush(&self) -> Result<()> {
        let (ack, done) = oneshot::channel();
        if self.tx.send(Msg::Flush(ack)).is_ok() {
            let _ = done.await;
        }
        match self
            .failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            Some(e) => Err(Error::Run(format!("cannot record the run: {e}"))),
            None => Ok(()),
        }
    }
}
