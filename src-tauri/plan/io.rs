//! Reading and writing the plan file: strict parsing with JSON paths in every
//! error, and a canonical, deterministic writer.

use super::model::Plan;
use super::validate::validate;
use crate::error::{Code, Error, Problem, Result};
use serde::Deserialize;
use std::path::Path;

/// Parses and validates a plan file's text. On any fault, returns every problem
/// found with the JSON path where it lies; nothing is half-read.
pub fn parse_plan(text: &str) -> Result<Plan> {
    // Read without tracking paths (it doubles the cost on a large plan); only
    // a plan that fails is read again, with tracking, to say where it fails.
    let mut de = serde_json::Deserializer::from_str(text);
    let plan = match Plan::deserialize(&mut de) {
        Ok(p) => p,
        Err(_) => {
            de = serde_json::Deserializer::from_str(text);
            match serde_path_to_error::deserialize(&mut de) {
                Ok(p) => p,
                Err(e) => return Err(Error::Invalid(vec![serde_problem(&e)])),
            }
        }
    };
    if let Err(e) = de.end() {
        return Err(Error::invalid(
            Code::Syntax,
            "",
            format!("trailing characters: {e}"),
        ));
    }
    let problems = validate(&plan);
    if problems.is_empty() {
        Ok(plan)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Reads and validates a plan file from disk.
pub fn read_plan_file(path: &Path) -> Result<Plan> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e, true))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::invalid(
            Code::Encoding,
            "",
            format!(
                "{}: not UTF-8 (byte {})",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    parse_plan(text.strip_prefix('\u{feff}').unwrap_or(&text))
}

/// The canonical text of a plan: keys in spec order, lists in stored order,
/// 2-space indent, a trailing newline. The same plan always gives the same bytes.
pub fn write_plan(plan: &Plan) -> String {
    let mut s = serde_json::to_string_pretty(plan).expect("a plan always serializes");
    s.push('\n');
    s
}

/// The JSON Schema of the plan file, as shipped in `resources/plan.schema.json`.
pub fn plan_schema() -> String {
    let mut schema = schemars::schema_for!(Plan);
    schema.insert(
        "$id".into(),
        "https://flotilla.dev/schema/plan-v1.json".into(),
    );
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serializes");
    s.push('\n');
    s
}

fn serde_problem(e: &serde_path_to_error::Error<serde_json::Error>) -> Problem {
    let inner = e.inner();
    let msg = inner.to_string();
    let code = if inner.is_syntax() || inner.is_eof() {
        Code::Syntax
    } else if msg.starts_with("unknown field") || msg.starts_with("unknown variant") {
        Code::UnknownField
    } else if msg.starts_with("missing field") {
        Code::MissingField
    } else if msg.starts_with("duplicate") {
        Code::DuplicateKey
    } else if msg.starts_with("invalid date") {
        Code::BadDate
    } else if msg.contains("invalid value: integer") {
        Code::OutOfRange
    } else {
        Code::BadValue
    };
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let msg = if code == Code::UnknownField && msg.starts_with("unknown variant") {
        msg.replacen("unknown variant", "unknown value", 1)
    } else {
        msg
    };
    Problem::new(code, path, msg)
}
