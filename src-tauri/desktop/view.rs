//! The release page's command: `views::release_view` as of the app's today,
//! and the record of the views sent to the window (`views::patch`), which
//! every command answering with a release view goes through.

use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::views::{release_view, today, ReleaseView, SentViews, ViewAnswer};
use std::sync::{Arc, Mutex};

/// The views the window was sent (managed state; see `views::patch`).
#[derive(Default, Clone)]
pub struct Sent(pub Arc<Mutex<SentViews>>);

impl Sent {
    /// Numbers and remembers a whole view about to be sent.
    pub fn send(&self, view: ReleaseView) -> ReleaseView {
        match self.0.lock() {
            Ok(mut sent) => sent.send(view),
            // Poisoned by a panic elsewhere: send the view unnumbered, so
            // the next edit answers with a whole view.
            Err(_) => view,
        }
    }

    /// The answer to an edit whose page holds view number `base`
    /// (`SentViews::answer`).
    pub fn answer(&self, view: ReleaseView, base: Option<u64>) -> ViewAnswer {
        match self.0.lock() {
            Ok(mut sent) => sent.answer(view, base),
            // Poisoned: the whole view, as for a page whose view is unknown.
            Err(_) => ViewAnswer::View {
                view: Box::new(view),
            },
        }
    }
}

#[tauri::command]
pub async fn load_release(
    ws: tauri::State<'_, Workspace>,
    sent: tauri::State<'_, Sent>,
    release: String,
) -> Result<ReleaseView, ErrorPayload> {
    let sent = sent.inner().clone();
    with_store(&ws, move |s| {
        Ok(sent.send(release_view(s, &release, today(None))?))
    })
    .await
}
