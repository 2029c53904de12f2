//! The plan: Flotilla's domain types, their validation and the plan file format.
//!
//! Owns: every type of spec/plan-format.md, the rejection rules, the canonical
//! writer and the JSON Schema. Must not touch: the database, the network, the UI.

mod comms;
mod io;
mod key_hash;
mod key_index;
mod model;
mod notes;
mod url_rule;
mod validate;

pub use comms::*;
pub use io::{parse_plan, plan_schema, read_plan_file, write_plan};
pub use key_hash::{KeyHash, KeyHasher};
pub(crate) use key_index::KeyIndex;
pub use model::*;
pub use notes::{Answer, Note, NoteCategory};
pub use url_rule::{check_url_rule, is_loopback, UrlFault};
pub use validate::{find_cycle, is_secret_ref, is_valid_key, validate};
