//! Merging plans: the semantic three-way merge (a git merge driver, linked plan
//! files) and team update packets.
//!
//! Owns: matching entities across versions of a plan, the three-way merge and
//! its conflicts, team packets, `git-setup`, syncing a release with a linked
//! file. Must not touch: the plan format or its validation (it calls `plan`),
//! SQL (it calls `store`), the UI. Rules: docs/merge.md.

mod conflicts;
mod git;
mod link;
mod matching;
mod packets;
mod three_way;

pub use conflicts::{conflicts_text, Conflict, Resolutions, Side};
pub use git::{attributes_line, driver_command, git_setup, GitSetup, DEFAULT_PATTERN, DRIVER};
pub use link::{link, resolve, save, sync, LinkReport, SyncReport};
pub use packets::{
    apply_packet, export_packet, import_packet, is_packet, packet_of, parse_packet, write_packet,
    Packet, PacketReport, PACKET_FORMAT, PACKET_VERSION,
};
pub use three_way::{
    differences, merge_plans, merge_texts, release_differences, Difference, Merged,
};
