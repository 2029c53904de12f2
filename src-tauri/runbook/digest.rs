//! The runbook file: canonical JSON, its SHA-256 digest, writing and
//! verified reading.
//!
//! The canonical JSON of a runbook is its JSON value without the `digest` key,
//! with every object's keys sorted (by UTF-8 bytes), written compactly (no
//! whitespace) the way serde_json writes strings and numbers.

use super::model::{Runbook, RUNBOOK_FORMAT, RUNBOOK_VERSION};
use crate::error::{Code, Error, Result};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// The canonical text of a runbook value, `digest` left out.
pub fn canonical_json(value: &Value) -> String {
    let mut v = value.clone();
    if let Value::Object(m) = &mut v {
        m.shift_remove("digest");
    }
    serde_json::to_string(&sorted(v)).expect("a JSON value serializes")
}

fn sorted(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut out = Map::new();
            for (k, v) in entries {
                out.insert(k, sorted(v));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// `sha256:<hex>` of the canonical text.
pub fn digest_of(value: &Value) -> String {
    let hash = Sha256::digest(canonical_json(value).as_bytes());
    format!("sha256:{}", hex::encode(hash))
}

/// Sets the runbook's digest from its content.
pub fn seal(runbook: &mut Runbook) {
    runbook.digest = String::new();
    let value = serde_json::to_value(&*runbook).expect("a runbook serializes");
    runbook.digest = digest_of(&value);
}

/// The runbook file's text: 2-space indented JSON and a trailing newline.
pub fn write_runbook(runbook: &Runbook) -> String {
    let mut s = serde_json::to_string_pretty(runbook).expect("a runbook serializes");
    s.push('\n');
    s
}

/// Reads a runbook file's text. Refuses a wrong format or version, and a
/// runbook whose digest does not match its content (code `digest_mismatch`).
pub fn parse_runbook(text: &str) -> Result<Runbook> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text)
        .map_err(|e| Error::invalid(Code::Syntax, "", format!("not a runbook: {e}")))?;
    let obj = value
        .as_object()
        .ok_or_else(|| Error::invalid(Code::Syntax, "", "not a runbook: expected a JSON object"))?;
    if obj.get("format").and_then(Value::as_str) != Some(RUNBOOK_FORMAT) {
        return Err(Error::invalid(
            Code::BadFormat,
            "format",
            format!("expected \"{RUNBOOK_FORMAT}\""),
        ));
    }
    if obj.get("version").and_then(Value::as_u64) != Some(u64::from(RUNBOOK_VERSION)) {
        return Err(Error::invalid(
            Code::BadVersion,
            "version",
            format!("this build reads runbook version {RUNBOOK_VERSION}"),
        ));
    }
    let claimed = obj.get("digest").and_then(Value::as_str).unwrap_or("");
    let actual = digest_of(&value);
    if claimed != actual {
        return Err(Error::invalid(
            Code::DigestMismatch,
            "digest",
            format!(
                "the runbook was changed after it was compiled (digest {claimed:?}, content {actual}): compile it again with `flotilla runbook`"
            ),
        ));
    }
    serde_path_to_error::deserialize(&value).map_err(|e| {
        Error::invalid(
            Code::BadRunbook,
            e.path().to_string(),
            e.inner().to_string(),
        )
    })
}

/// Reads and verifies a runbook file from disk.
pub fn read_runbook_file(path: &std::path::Path) -> Result<Runbook> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e, true))?;
    parse_runbook(&text)
}
