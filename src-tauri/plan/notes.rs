//! Release notes in the plan: user-facing lines that a release and each of
//! its components carry, in the seeds' categories; and the answers to the
//! post-release review's questions. `crate::report` writes them out;
//! docs/plan-file.md describes the fields.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One line of the release notes, written for users (not for developers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub category: NoteCategory,
    /// What users get, in plain language. Within one list of notes the text
    /// is the note's identity (for merging), so it is unique there.
    pub text: String,
}

/// The sections of the release notes, in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteCategory {
    /// What's new: a feature users did not have.
    New,
    /// An improvement to something users already had.
    Enhancement,
    /// A bug that was fixed.
    Fix,
    /// A change that needs users to act (an API removed, a default changed).
    Breaking,
    /// What isn't perfect yet.
    KnownIssue,
    /// How users should upgrade.
    Upgrade,
}

impl NoteCategory {
    /// Every category, in the order the release notes list them.
    pub const ALL: [NoteCategory; 6] = [
        NoteCategory::New,
        NoteCategory::Enhancement,
        NoteCategory::Fix,
        NoteCategory::Breaking,
        NoteCategory::KnownIssue,
        NoteCategory::Upgrade,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoteCategory::New => "new",
            NoteCategory::Enhancement => "enhancement",
            NoteCategory::Fix => "fix",
            NoteCategory::Breaking => "breaking",
            NoteCategory::KnownIssue => "known_issue",
            NoteCategory::Upgrade => "upgrade",
        }
    }

    /// The section's heading in the release notes.
    pub fn heading(self) -> &'static str {
        match self {
            NoteCategory::New => "What's new",
            NoteCategory::Enhancement => "Enhancements",
            NoteCategory::Fix => "Bug fixes",
            NoteCategory::Breaking => "Breaking changes",
            NoteCategory::KnownIssue => "Known issues",
            NoteCategory::Upgrade => "Upgrade instructions",
        }
    }
}

/// The team's answer to one question of the post-release review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// The question as the review asks it (its identity when merging).
    pub question: String,
    pub answer: String,
}
