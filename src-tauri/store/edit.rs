//! Edits to a stored release or to the workspace around it, as types: each
//! [`Edit`] is validated against the whole release (a workspace edit: against
//! every release), written in one transaction (`edit_write.rs`), recorded in
//! the change history and undoable (`edit_log.rs`).
//!
//! A release's edits form that release's undo stack; the workspace's own
//! edits (teams, endpoints, the calendar) form one more, under the scope
//! [`WORKSPACE`].

use crate::plan::{
    Calendar, ChecklistItem, Component, Date, Dependency, Endpoint, Milestone, Release, Team,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

macro_rules! field_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            /// The field's name in the plan file.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// Every field's name, comma-separated, for messages.
            pub fn names() -> &'static str {
                concat!($($text, ", "),+).trim_end_matches(", ")
            }
        }
    };
}

field_enum!(
    /// A component field that can be set.
    ComponentField {
        Title => "title",
        Team => "team",
        Status => "status",
        DurationDays => "duration_days",
        Start => "start",
        Eta => "eta",
        DoneOn => "done_on",
        Labels => "labels",
        Deploy => "deploy",
        Notes => "notes",
    }
);

field_enum!(
    /// A release field that can be set.
    ReleaseField {
        Name => "name",
        Status => "status",
        Start => "start",
        FeatureFreeze => "feature_freeze",
        CodeFreeze => "code_freeze",
        ReleaseDate => "release_date",
        Strategy => "strategy",
        RollbackTriggers => "rollback_triggers",
        DeploySchedule => "deploy_schedule",
        Comms => "comms",
        Notes => "notes",
        Retrospective => "retrospective",
    }
);

field_enum!(
    /// A dependency field that can be set.
    DependencyField {
        NeededBy => "needed_by",
        BufferDays => "buffer_days",
        LagDays => "lag_days",
    }
);

field_enum!(
    /// A checklist item field that can be set.
    ChecklistField {
        Text => "text",
        Owner => "owner",
        Due => "due",
        Done => "done",
        Gate => "gate",
    }
);

/// One edit, as the UI and the CLI send it. Values are written as in the plan
/// file; `null` clears an optional field. `index` places an added item (at the
/// end when absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    SetComponent {
        release: String,
        component: String,
        field: ComponentField,
        value: Value,
    },
    AddComponent {
        release: String,
        component: Box<Component>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    /// Removes a component with the dependencies into and out of it, and
    /// takes it out of the milestones that name it (its deploy section goes
    /// with it); one step, undone as one.
    RemoveComponent {
        release: String,
        component: String,
    },
    /// Gives a component a new key and rewrites every reference to it (its
    /// dependencies, the milestones that name it).
    RenameComponent {
        release: String,
        from: String,
        to: String,
    },
    /// Adds an integration milestone, or replaces the one with its key.
    PutMilestone {
        release: String,
        milestone: Box<Milestone>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    RemoveMilestone {
        release: String,
        milestone: String,
    },
    SetRelease {
        release: String,
        field: ReleaseField,
        value: Value,
    },
    /// Hides (or shows again) a release in the list; its data stays.
    ArchiveRelease {
        release: String,
        archived: bool,
    },
    CreateRelease {
        release: Box<Release>,
        #[serde(default)]
        archived: bool,
    },
    DeleteRelease {
        release: String,
    },
    AddStatusUpdate {
        release: String,
        component: String,
        date: Date,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    RemoveStatusUpdate {
        release: String,
        component: String,
        index: usize,
    },
    /// Adds `from` blocks `to`; refused when it would close a cycle.
    AddDependency {
        release: String,
        dependency: Dependency,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    RemoveDependency {
        release: String,
        from: String,
        to: String,
    },
    SetDependency {
        release: String,
        from: String,
        to: String,
        field: DependencyField,
        value: Value,
    },
    /// Ticks (or unticks) a milestone's test scenario.
    SetScenario {
        release: String,
        milestone: String,
        index: usize,
        done: bool,
    },
    AddChecklistItem {
        release: String,
        item: ChecklistItem,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    RemoveChecklistItem {
        release: String,
        index: usize,
    },
    SetChecklistItem {
        release: String,
        index: usize,
        field: ChecklistField,
        value: Value,
    },
    /// Several edits of one release as one step (one undo).
    Batch {
        release: String,
        edits: Vec<Edit>,
    },
    /// Adds a team, or replaces the name and contacts of the team with its
    /// key (a team's key never changes: components refer to it).
    PutTeam {
        team: Team,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    /// Removes a team; refused while anything in any release refers to it.
    RemoveTeam {
        team: String,
    },
    /// Adds an endpoint, or replaces the one with this name.
    PutEndpoint {
        name: String,
        endpoint: Box<Endpoint>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        index: Option<usize>,
    },
    /// Removes an endpoint; refused while a deploy section, a check or a
    /// trigger uses it.
    RemoveEndpoint {
        name: String,
    },
    /// Sets the working calendar every release of the workspace is scheduled
    /// on (`null`: the default Monday-to-Friday calendar, no holidays).
    SetCalendar {
        #[serde(default)]
        calendar: Option<Calendar>,
    },
}

/// The scope of the workspace's own edits (teams, endpoints, calendar) in the
/// edit log and for undo: no release key is empty.
pub const WORKSPACE: &str = "";

impl Edit {
    /// The release the edit changes ([`WORKSPACE`] for the workspace's own
    /// edits): the undo stack it belongs to.
    pub fn release(&self) -> &str {
        match self {
            Edit::CreateRelease { release, .. } => &release.key,
            Edit::PutTeam { .. }
            | Edit::RemoveTeam { .. }
            | Edit::PutEndpoint { .. }
            | Edit::RemoveEndpoint { .. }
            | Edit::SetCalendar { .. } => WORKSPACE,
            Edit::SetComponent { release, .. }
            | Edit::AddComponent { release, .. }
            | Edit::RemoveComponent { release, .. }
            | Edit::RenameComponent { release, .. }
            | Edit::PutMilestone { release, .. }
            | Edit::RemoveMilestone { release, .. }
            | Edit::SetRelease { release, .. }
            | Edit::ArchiveRelease { release, .. }
            | Edit::DeleteRelease { release }
            | Edit::AddStatusUpdate { release, .. }
            | Edit::RemoveStatusUpdate { release, .. }
            | Edit::AddDependency { release, .. }
            | Edit::RemoveDependency { release, .. }
            | Edit::SetDependency { release, .. }
            | Edit::SetScenario { release, .. }
            | Edit::AddChecklistItem { release, .. }
            | Edit::RemoveChecklistItem { release, .. }
            | Edit::SetChecklistItem { release, .. }
            | Edit::Batch { release, .. } => release,
        }
    }

    /// Does the edit change the workspace (teams, endpoints, calendar) rather
    /// than one release?
    pub fn is_workspace(&self) -> bool {
        self.release() == WORKSPACE && !matches!(self, Edit::CreateRelease { .. })
    }
}

/// One row of the change history.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub id: i64,
    pub batch: i64,
    pub at: String,
    pub actor: String,
    /// `edit`, `undo`, `redo` or `import`.
    pub kind: String,
    pub release: Option<String>,
    pub entity: String,
    pub key: String,
    pub field: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// What an undo or a redo did.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct UndoStep {
    pub release: String,
    pub summary: String,
    pub can_undo: bool,
    pub can_redo: bool,
}
