//! The JSON Schema shipped in resources/ must match the Rust plan types.
//! Regenerate with `UPDATE_SCHEMA=1 cargo test --test schema`.

use flotilla::plan::plan_schema;

#[test]
fn plan_schema_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("resources/plan.schema.json");
    let fresh = plan_schema();
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &fresh).expect("write schema");
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == fresh,
        "resources/plan.schema.json is stale: run `UPDATE_SCHEMA=1 cargo test --test schema` and commit it"
    );
    let v: serde_json::Value = serde_json::from_str(&fresh).unwrap();
    for field in ["format", "version", "teams", "releases"] {
        assert!(
            v["required"].as_array().unwrap().iter().any(|r| r == field),
            "{field} not required"
        );
    }
}
