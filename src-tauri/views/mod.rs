//! What both faces show: the release overview, the release view with its
//! schedule, what-if, and the day everything is judged by.
//!
//! The CLI (`flotilla releases`, `analyze`, `export`) and the desktop
//! commands call these functions and serialise the same types, so the two
//! faces cannot drift apart in what they compute or what they call it.
//!
//! Owns: combining a stored release with its schedule into an answer.
//! Must not touch: Tauri, the terminal, SQL (it reads through `store`'s
//! public functions), HTTP.

mod copy;
mod csv_import;
mod open_file;
mod overview;
mod patch;
mod release;
mod workspace;

pub use copy::{copy_release, next_release};
pub use csv_import::{
    import_csv, import_edit, key_from_title, parse_mapping, preview as csv_preview, CsvColumn,
    CsvField, CsvMapping, CsvPreview, CsvProblem,
};
pub use open_file::{
    open as open_file, preview as preview_file, OpenChoice, OpenOutcome, OpenedFile, OpenedRelease,
};
pub use overview::{release_overview, ReleaseOverview};
pub use patch::{apply as apply_patch, diff, Item, Patch, SentViews, ViewAnswer};
pub use release::{release_view, what_if, ReleaseView};
pub use workspace::{workspace_view, WorkspaceView};

use crate::plan::Date;

/// The environment variable that fixes "today" for demos and tests
/// (`YYYY-MM-DD`); an explicit `--today` on the command line wins over it.
pub const TODAY_ENV: &str = "FLOTILLA_TODAY";

/// The day the schedule judges "past" by: `explicit` (a `--today` flag) when
/// given, else `FLOTILLA_TODAY` when it holds a date, else the local date.
pub fn today(explicit: Option<Date>) -> Date {
    explicit
        .or_else(today_fixed)
        .unwrap_or_else(|| Date(chrono::Local::now().date_naive()))
}

/// The day `FLOTILLA_TODAY` fixes, if it holds a date.
pub fn today_fixed() -> Option<Date> {
    std::env::var(TODAY_ENV)
        .ok()
        .and_then(|s| Date::parse(s.trim()).ok())
}
