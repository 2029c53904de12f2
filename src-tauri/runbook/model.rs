//! The runbook's types: exactly the shape of the runbook JSON file
//! (docs/runbook.md). Field order here is the key order of the file.

use crate::plan::{
    Comms, Contacts, Date, Deploy, Endpoint, EndpointKind, RollbackTrigger, Strategy,
};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// The value of `format` in every runbook file.
pub const RUNBOOK_FORMAT: &str = "flotilla.runbook";
/// The only runbook version this build reads and writes.
pub const RUNBOOK_VERSION: u32 = 1;

/// A compiled release-day runbook: what `flotilla run` executes, exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Runbook {
    /// Always `flotilla.runbook`.
    pub format: String,
    /// Always `1`.
    pub version: u32,
    /// `sha256:<hex>` of the canonical JSON of everything but this field.
    pub digest: String,
    pub release: ReleaseInfo,
    pub preflight: Preflight,
    /// Deployment waves, in order; the steps of a wave may run at once.
    pub waves: Vec<Wave>,
    pub rollback_triggers: Vec<RollbackTrigger>,
    /// Every endpoint a step, a check or a trigger names (secret references only).
    pub endpoints: IndexMap<String, Endpoint>,
    /// The release's teams, in plan order, with their contacts.
    pub contacts: Vec<TeamContacts>,
    /// The release's communication plan: who is told what during the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comms: Option<Comms>,
}

impl Runbook {
    /// Minutes the steps `ids` are expected to take, wave by wave (the steps
    /// of a wave run at once: the slowest counts), from each deploy's
    /// `expected_minutes`; and how many deploy steps have no estimate.
    pub fn expected_minutes(&self, ids: impl Fn(&Step) -> bool) -> (u32, usize) {
        let mut total = 0;
        let mut unknown = 0;
        for w in &self.waves {
            let mut slowest = 0;
            for s in w.steps.iter().filter(|s| ids(s)) {
                if s.action != StepAction::Deploy {
                    continue;
                }
                match s.deploy.as_ref().and_then(|d| d.expected_minutes) {
                    Some(m) => slowest = slowest.max(m),
                    None => unknown += 1,
                }
            }
            total += slowest;
        }
        (total, unknown)
    }

    /// Every step, wave by wave, in deployment order.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.waves.iter().flat_map(|w| w.steps.iter())
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps().find(|s| s.id == id)
    }

    /// Are pre-flight items still open?
    pub fn preflight_open(&self) -> usize {
        self.preflight.checklist.len() + self.preflight.milestones.len()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseInfo {
    pub key: String,
    pub name: String,
    pub release_date: Date,
    /// The deploy schedule's date, else the release date.
    pub deploy_date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<Strategy>,
}

/// What must be done before the first trigger.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Preflight {
    /// Gate checklist items that are not done.
    pub checklist: Vec<OpenItem>,
    /// Integration milestones that are not done.
    pub milestones: Vec<OpenMilestone>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenItem {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenMilestone {
    pub key: String,
    pub name: String,
    pub due: Date,
    /// The scenarios not yet done.
    pub open_scenarios: Vec<String>,
    /// Components not yet done (listed when the milestone has no scenarios).
    pub open_components: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    /// From 1.
    pub number: u32,
    pub steps: Vec<Step>,
}

/// What a step does on release day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepAction {
    /// Triggered through its endpoint, polled, verified.
    Deploy,
    /// No deploy section: a person deploys it; the executor only reports it.
    Manual,
    /// Already released: nothing to do.
    Released,
}

/// One component's deployment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The component's key; unique in the runbook.
    pub id: String,
    pub title: String,
    pub team: String,
    pub team_name: String,
    /// The team's slot in the deploy schedule, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    pub action: StepAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<EndpointKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy: Option<Deploy>,
    pub contacts: Contacts,
}

impl Step {
    /// Who to call about this step: `Name (@handle, phone)` for primary then backup.
    pub fn who_to_call(&self) -> String {
        let mut out = Vec::new();
        for (role, c) in [
            ("primary", &self.contacts.primary),
            ("backup", &self.contacts.backup),
        ] {
            if let Some(c) = c {
                out.push(format!("{} ({role})", contact_line(c)));
            }
        }
        if out.is_empty() {
            format!("team {} (no contacts on file)", self.team_name)
        } else {
            format!("{}: {}", self.team_name, out.join(", "))
        }
    }
}

/// `Name @handle phone email`, what is known of a contact.
pub fn contact_line(c: &crate::plan::Contact) -> String {
    let mut parts = vec![c.name.clone()];
    for v in [&c.handle, &c.phone, &c.email].into_iter().flatten() {
        parts.push(v.clone());
    }
    parts.join(" ")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamContacts {
    pub team: String,
    pub name: String,
    pub contacts: Contacts,
}
