//! The Reports, Notes and Review tabs and the Metrics page: `report::weekly`,
//! `report::daily`, `report::notes`, `report::review` and `report::metrics`
//! as data, each with its HTML as the page shows it (every text escaped by
//! the renderer, pictures made by it); the weekly and daily drafts also as
//! the Markdown to paste.

use super::workspace::{with_store, Workspace};
use crate::error::ErrorPayload;
use crate::plan::Date;
use crate::report::{self, Daily, Metrics, ReleaseNotes, Review, Weekly};
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

/// A draft of the weeks before release day as the Reports tab shows it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DraftPage {
    pub html: String,
    /// The same as Markdown, to copy into the sync's thread or wiki.
    pub markdown: String,
}

#[tauri::command]
pub async fn weekly_report(
    ws: tauri::State<'_, Workspace>,
    release: String,
    since: Option<Date>,
) -> Result<DraftPage, ErrorPayload> {
    with_store(&ws, move |s| {
        let today = today(None);
        let since = match since {
            Some(d) => d,
            None => report::weekly_since(s, &release, today)?,
        };
        let w: Weekly = report::weekly(s, &release, today, since)?;
        Ok(DraftPage {
            html: report::weekly_fragment(&w),
            markdown: report::weekly_markdown(&w),
        })
    })
    .await
}

#[tauri::command]
pub async fn daily_report(
    ws: tauri::State<'_, Workspace>,
    release: String,
    team: String,
) -> Result<DraftPage, ErrorPayload> {
    with_store(&ws, move |s| {
        let d: Daily = report::daily(s, &release, &team, today(None))?;
        Ok(DraftPage {
            html: report::daily_fragment(&d),
            markdown: report::daily_markdown(&d),
        })
    })
    .await
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
