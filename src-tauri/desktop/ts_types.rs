//! TypeScript declarations of the types the desktop commands send, generated
//! from their JSON Schemas (schemars) into `ui/src/lib/generated.ts`. The test
//! below fails when that file is stale; `FLOTILLA_WRITE_TS=1 cargo test --lib
//! ts_types` rewrites it.

use super::edits::Stepped;
use super::runbook::{RunDetail, RunbookData};
use super::window_state::UiState;
use crate::exec::{RunEvent, RunReport};
use crate::merge::{LinkReport, Side, SyncReport};
use crate::schedule::WhatIf;
use crate::store::{Change, Edit};
use crate::views::{ReleaseOverview, ReleaseView};
use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{Map, Value};

/// Where the generated file lives, from the package root.
pub const GENERATED_TS: &str = "ui/src/lib/generated.ts";

/// The generated declarations: every type the commands return, and every type
/// those name, sorted by name.
pub fn typescript() -> String {
    // The shapes as Rust writes them: a field always written is required
    // (`T | null` for an Option), one it may leave out is optional. Edits,
    // which the page sends, are typed the same way: stricter than the reader
    // needs, never looser.
    let mut generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    fn root<T: JsonSchema>(g: &mut schemars::SchemaGenerator) {
        let _ = g.subschema_for::<T>();
    }
    root::<ReleaseOverview>(&mut generator);
    root::<ReleaseView>(&mut generator);
    root::<Stepped>(&mut generator);
    root::<crate::views::ViewAnswer>(&mut generator);
    root::<UiState>(&mut generator);
    root::<Edit>(&mut generator);
    root::<Change>(&mut generator);
    root::<WhatIf<'static>>(&mut generator);
    root::<RunbookData>(&mut generator);
    root::<super::reports::DraftPage>(&mut generator);
    root::<super::reports::NotesPage>(&mut generator);
    root::<super::reports::ReviewPage>(&mut generator);
    root::<super::reports::MetricsPage>(&mut generator);
    root::<RunDetail>(&mut generator);
    root::<RunEvent>(&mut generator);
    root::<RunReport>(&mut generator);
    root::<LinkReport>(&mut generator);
    root::<SyncReport>(&mut generator);
    root::<Side>(&mut generator);
    root::<crate::error::ErrorPayload>(&mut generator);
    root::<crate::views::WorkspaceView>(&mut generator);
    root::<crate::views::CsvPreview>(&mut generator);
    root::<crate::exec::ConnectionTest>(&mut generator);
    root::<crate::views::OpenedFile>(&mut generator);
    root::<crate::views::OpenOutcome>(&mut generator);
    let defs: Map<String, Value> = generator.definitions().clone();
    let mut names: Vec<&String> = defs.keys().collect();
    names.sort();
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/desktop/ts_types.rs: do not edit.\n\
         // `FLOTILLA_WRITE_TS=1 cargo test --lib ts_types` rewrites it; a test fails when it is stale.\n",
    );
    for name in names {
        let schema = &defs[name];
        if name == "FormatInfo" || name == "RunbookFormatInfo" {
            // Declared with its table below.
            continue;
        }
        let name = ts_name(name);
        out.push('\n');
        if let Some(doc) = schema.get("description").and_then(Value::as_str) {
            out.push_str(&doc_comment(doc, ""));
        }
        match object_body(schema, "") {
            Some(body) => out.push_str(&format!("export interface {name} {body}\n")),
            None => out.push_str(&format!("export type {name} = {};\n", ts(schema))),
        }
    }
    let formats =
        serde_json::to_string_pretty(crate::runbook::RUNBOOK_FORMATS).expect("serializes");
    out.push_str(&format!(
        "\n/** Every runbook format, as `flotilla runbook --format` names them (src-tauri/runbook/mod.rs, RUNBOOK_FORMATS). */\nexport const RUNBOOK_FORMATS = {} as const;\n",
        formats
    ));
    // The export formats' one table (export::FORMATS), as a value.
    let formats = serde_json::to_string_pretty(crate::export::FORMATS).expect("serializes");
    out.push_str(&format!(
        "\n/** Every export format, as `flotilla export --format` names them (src-tauri/export/render.rs, FORMATS). */\nexport const EXPORT_FORMATS = {} as const;\n",
        formats
    ));
    out
}

fn doc_comment(doc: &str, indent: &str) -> String {
    let lines: Vec<&str> = doc.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {} */\n", lines[0]);
    }
    let mut s = format!("{indent}/**\n");
    for l in lines {
        s.push_str(&format!("{indent} * {l}\n").replace(" * \n", " *\n"));
    }
    s.push_str(&format!("{indent} */\n"));
    s
}

/// `{ a: T; b?: U }` for an object schema with properties.
fn object_body(schema: &Value, indent: &str) -> Option<String> {
    let props = schema.get("properties")?.as_object()?;
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let inner = format!("{indent}  ");
    let mut s = String::from("{\n");
    for (key, prop) in props {
        if let Some(doc) = prop.get("description").and_then(Value::as_str) {
            s.push_str(&doc_comment(doc, &inner));
        }
        let optional = if required.contains(&key.as_str()) {
            ""
        } else {
            "?"
        };
        s.push_str(&format!(
            "{inner}{key}{optional}: {};\n",
            ts_at(prop, &inner)
        ));
    }
    s.push_str(indent);
    s.push('}');
    Some(s)
}

/// A schema's name in TypeScript: `Date` (a `YYYY-MM-DD` string) would hide
/// the built-in `Date`, so it is `IsoDate`.
fn ts_name(name: &str) -> String {
    match name {
        "Date" => "IsoDate".to_string(),
        other => other.to_string(),
    }
}

fn ts(schema: &Value) -> String {
    ts_at(schema, "")
}

/// The TypeScript type of a schema.
fn ts_at(schema: &Value, indent: &str) -> String {
    let Some(obj) = schema.as_object() else {
        return "unknown".into();
    };
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        return ts_name(r.rsplit('/').next().unwrap_or("unknown"));
    }
    if let Some(c) = obj.get("const") {
        return c.to_string();
    }
    if let Some(e) = obj.get("enum").and_then(Value::as_array) {
        return e
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(" | ");
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = obj.get(key).and_then(Value::as_array) {
            let parts: Vec<String> = alts.iter().map(|a| ts_at(a, indent)).collect();
            return parts.join(" | ");
        }
    }
    let types: Vec<&str> = match obj.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => return "unknown".into(),
    };
    let parts: Vec<String> = types
        .iter()
        .map(|t| match *t {
            "string" => "string".to_string(),
            "integer" | "number" => "number".to_string(),
            "boolean" => "boolean".to_string(),
            "null" => "null".to_string(),
            "array" => {
                let item = obj
                    .get("items")
                    .map(|i| ts_at(i, indent))
                    .unwrap_or_else(|| "unknown".into());
                if item.contains(' ') {
                    format!("({item})[]")
                } else {
                    format!("{item}[]")
                }
            }
            "object" => object_body(schema, indent).unwrap_or_else(|| {
                let value = match obj.get("additionalProperties") {
                    Some(v @ Value::Object(_)) => ts_at(v, indent),
                    _ => "unknown".into(),
                };
                format!("Record<string, {value}>")
            }),
            other => other.to_string(),
        })
        .collect();
    parts.join(" | ")
}

#[cfg(test)]
mod tests {
    use super::{typescript, GENERATED_TS};
    use std::path::Path;

    #[test]
    fn generated_typescript_is_up_to_date() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GENERATED_TS);
        let fresh = typescript();
        if std::env::var_os("FLOTILLA_WRITE_TS").is_some() {
            std::fs::write(&path, &fresh).expect("write the generated TypeScript");
        }
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            stored == fresh,
            "{GENERATED_TS} is stale: run `FLOTILLA_WRITE_TS=1 cargo test --lib ts_types` and commit it"
        );
    }

    #[test]
    fn names_the_command_types_and_what_they_use() {
        let ts = typescript();
        for name in [
            "ReleaseOverview",
            "Counts",
            "ErrorPayload",
            "ReleaseView",
            "Release",
            "Component",
            "Team",
            "Stepped",
            "UiState",
            "Analysis",
            "Change",
            "WhatIf",
            "Runbook",
            "RunDetail",
            "SyncReport",
        ] {
            assert!(
                ts.contains(&format!("export interface {name} ")),
                "{name} missing:\n{ts}"
            );
        }
        assert!(
            ts.contains("export type Status = \"planning\" | \"in_development\""),
            "{ts}"
        );
        for name in ["Code", "Detail", "StepState", "RunState"] {
            assert!(
                ts.contains(&format!("export type {name} = ")),
                "{name} missing"
            );
        }
        assert!(ts.contains("export const EXPORT_FORMATS = ["), "{ts}");
        // Tagged enums become unions on their tag.
        assert!(
            ts.contains("export type Edit = {\n  op: \"set_component\";"),
            "{ts}"
        );
        assert!(
            ts.contains("export type RunEvent = {\n  type: \"started\";"),
            "{ts}"
        );
    }
}
