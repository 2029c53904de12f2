//! The workspace page: teams with their contacts, endpoints, the working
//! calendar, and where each team and endpoint is used.

use crate::error::Result;
use crate::plan::{Calendar, Endpoint, Team};
use crate::store::{Store, WORKSPACE};
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Serialize;

/// What the workspace page shows.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WorkspaceView {
    pub teams: Vec<Team>,
    pub endpoints: IndexMap<String, Endpoint>,
    /// The calendar as set (`null`: the default, Monday to Friday).
    pub calendar: Option<Calendar>,
    /// Components per team, over every release (a team in use cannot be removed).
    pub team_components: IndexMap<String, usize>,
    /// Whether the workspace's own edits can be undone / redone.
    pub can_undo: bool,
    pub can_redo: bool,
}

pub fn workspace_view(store: &Store) -> Result<WorkspaceView> {
    let ws = store.workspace()?;
    let mut team_components: IndexMap<String, usize> =
        ws.teams.iter().map(|t| (t.key.clone(), 0)).collect();
    for (team, n) in store.components_per_team()? {
        team_components.insert(team, n);
    }
    Ok(WorkspaceView {
        teams: ws.teams,
        endpoints: ws.endpoints,
        calendar: ws.calendar,
        team_components,
        can_undo: store.can_undo(WORKSPACE)?,
        can_redo: store.can_redo(WORKSPACE)?,
    })
}
