//! Files in and out of the window: importing a plan, exporting the plan or a
//! release (the same functions as `flotilla export`), and saving the graph
//! view as SVG or PNG.

use super::releases::overview;
use super::workspace::{with_store, Workspace};
use crate::error::{Code, Error, ErrorPayload, Result};
use crate::export::{render, write_file_atomic, Format};
use crate::plan::{read_plan_file, Date};
use crate::store::Store;
use crate::views::{today, ReleaseOverview};
use std::path::PathBuf;

/// The text `flotilla export --format FORMAT [--release KEY]` writes: the same
/// function, the same schedule.
pub fn export_text(
    store: &Store,
    release: Option<&str>,
    format: &str,
    today: Date,
) -> Result<String> {
    let format = Format::parse(format)?;
    render(&store.load_plan(release)?, format, today)
}

/// A path the user typed: absolute, after `~/` is expanded.
pub(super) fn user_path(path: &str) -> Result<PathBuf> {
    let path = path.trim();
    let expanded = match path.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().unwrap_or_default().join(rest),
        None => PathBuf::from(path),
    };
    if path.is_empty() || !expanded.is_absolute() {
        return Err(Error::invalid(
            Code::BadPath,
            "path",
            "give a full path, such as ~/q1-2025.json or /home/me/q1-2025.json",
        ));
    }
    Ok(expanded)
}

/// Writes the plan (or one release) to `path` in `format`; returns the path written.
#[tauri::command]
pub async fn export_plan(
    ws: tauri::State<'_, Workspace>,
    release: Option<String>,
    format: String,
    path: String,
) -> Result<String, ErrorPayload> {
    with_store(&ws, move |s| {
        let path = user_path(&path)?;
        let text = export_text(s, release.as_deref(), &format, today(None))?;
        write_file_atomic(&path, &text)?;
        Ok(path.display().to_string())
    })
    .await
}

/// Validates a plan file and loads it, all or nothing, as `flotilla import` does.
#[tauri::command]
pub async fn import_plan(
    ws: tauri::State<'_, Workspace>,
    path: String,
    replace: bool,
) -> Result<Vec<ReleaseOverview>, ErrorPayload> {
    with_store(&ws, move |s| {
        let path = user_path(&path)?;
        let plan = read_plan_file(&path)?;
        s.import(&plan, replace)?;
        overview(s)
    })
    .await
}

/// Saves a drawing of the graph: SVG text, or a PNG given as base64.
#[tauri::command]
pub async fn save_drawing(
    path: String,
    svg: Option<String>,
    png_base64: Option<String>,
) -> Result<String, ErrorPayload> {
    tauri::async_runtime::spawn_blocking(move || save(&path, svg, png_base64))
        .await
        .map_err(|e| Error::Desktop(format!("background task failed: {e}")).payload())?
        .map_err(|e| e.payload())
}

fn save(path: &str, svg: Option<String>, png: Option<String>) -> Result<String> {
    let path = user_path(path)?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let bytes = match (ext.as_str(), svg, png) {
        ("svg", Some(svg), _) => svg.into_bytes(),
        ("png", _, Some(b64)) => decode_base64(&b64)
            .ok_or_else(|| Error::invalid(Code::BadValue, "png", "the PNG data is not base64"))?,
        _ => {
            return Err(Error::invalid(
                Code::BadPath,
                "path",
                "the file name must end in .svg or .png, matching the format chosen",
            ))
        }
    };
    crate::atomic_file::write_atomic(&path, &bytes)?;
    Ok(path.display().to_string())
}

/// Standard base64, with or without padding, line breaks allowed; `None` on
/// any other character.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    LENIENT.decode(compact).ok()
}

/// Where the file fields start: the home folder.
#[tauri::command]
pub fn home_dir() -> String {
    dirs::home_dir()
        .map(|h| h.display().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{decode_base64, user_path};

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVsbG8").unwrap(), b"hello");
        assert_eq!(
            decode_base64("iVBO\nRw==").unwrap(),
            [0x89, b'P', b'N', b'G']
        );
        assert!(decode_base64("a$b").is_none());
    }

    #[test]
    fn paths_must_be_absolute_after_the_home_is_expanded() {
        assert_eq!(
            user_path(" /tmp/r.md ").unwrap(),
            std::path::PathBuf::from("/tmp/r.md")
        );
        assert!(user_path("~/r.md").unwrap().is_absolute());
        for bad in ["", "  ", "r.md", "./r.md"] {
            assert_eq!(user_path(bad).unwrap_err().payload().code, "bad_path");
        }
    }
}
