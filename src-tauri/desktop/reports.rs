//! The Notes and Review tabs and the Metrics page: `report::notes`,
//! `report::review` and `report::metrics` as data, each with its HTML as the
//! page shows it (every text escaped by the renderer, pictures made by it).

use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::plan::Date;
use crate::report::{self, Metrics, ReleaseNotes, Review};
use crate::views::today;
use serde::Serialize;

macro_rules! page {
    ($(#[$doc:meta])* $name:ident($data:ty)) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
        pub struct $name {
            pub data: $data,
            /// The same as HTML to show in the page.
            pub html: String,
        }
    };
}

page!(
    /// The release notes as the Notes tab shows them.
    NotesPage(ReleaseNotes)
);
page!(
    /// The post-release review as the Review tab shows it.
    ReviewPage(Review)
);
page!(
    /// The delivery metrics as the Metrics page shows them.
    MetricsPage(Metrics)
);

#[tauri::command]
pub async fn release_notes(
    ws: tauri::State<'_, Workspace>,
    release: String,
) -> Result<NotesPage, ErrorPayload> {
    with_store(&ws, move |s| {
        let data = report::notes(s, &release)?;
        Ok(NotesPage {
            html: report::notes_fragment(&data),
            data,
        })
    })
    .await
}

#[tauri::command]
pub async fn release_review(
    ws: tauri::State<'_, Workspace>,
    release: String,
    baseline: Option<Date>,
) -> Result<ReviewPage, ErrorPayload> {
    with_store(&ws, move |s| {
        let data = report::review(s, &release, today(None), baseline)?;
        Ok(ReviewPage {
            html: report::review_fragment(&data),
            data,
        })
    })
    .await
}

#[tauri::command]
pub async fn delivery_metrics(
    ws: tauri::State<'_, Workspace>,
    since: Option<Date>,
    team: Option<String>,
) -> Result<MetricsPage, ErrorPayload> {
    with_store(&ws, move |s| {
        let data = report::metrics(s, today(None), since, team.as_deref())?;
        Ok(MetricsPage {
            html: report::metrics_fragment(&data),
            data,
        })
    })
    .await
}
