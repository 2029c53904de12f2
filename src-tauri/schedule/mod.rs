//! The schedule of a release, exactly as shared spec/schedule.md defines it.
//!
//! Owns: the working-day calendar, the forward and backward passes, float, the
//! critical components and the critical path, dependency and milestone risk,
//! freeze breaches, deadline slack, deployment waves, what-if slips, and the
//! large-plan generator used by the benchmarks. docs/scheduling.md writes down
//! every choice the spec leaves open.
//!
//! Must not touch: the database, files, the network, the terminal, the UI.
//! It reads a [`Release`] and a [`Calendar`] and returns values; the CLI, the
//! desktop app and the exports print or draw them.
//!
//! How it works: keys are resolved once into index arrays ([`network`]),
//! petgraph gives the topological order, every given date becomes a
//! working-day ordinal ([`WorkCalendar`]), and the passes are plain loops over
//! the arrays, so a schedule is linear in components plus dependencies.

mod analysis;
mod calendar;
mod critical;
mod generate;
mod network;
mod passes;
mod risk;
mod topo;
mod waves;
mod what_if;

pub use analysis::{
    Analysis, ComponentSchedule, Counts, DependencySchedule, FreezeBreach, MilestoneRisk,
};
pub use calendar::{WorkCalendar, WorkDay};
pub use generate::generate_plan;
pub use risk::{FreezeKind, RiskState};
pub use what_if::{
    what_if, ComponentMove, DependencyChange, FreezeChange, MilestoneChange, PlanFinishMove, Slip,
    WhatIf,
};

use crate::error::Result;
use crate::plan::{Calendar, Date, Release};
use network::Network;
use passes::Inputs;

/// Schedules `release` on `calendar`. `today` decides which milestones are past
/// due. Fails with `Error::Invalid` when the release does not hang together: a
/// dependency cycle (code "cycle", path "dependencies", message
/// "dependency cycle: a -> b -> a"), an unknown or duplicate component key, a
/// zero duration, a calendar without working days, or dates past the end of year 262142.
pub fn analyze<'r>(calendar: &Calendar, release: &'r Release, today: Date) -> Result<Analysis<'r>> {
    let prepared = Prepared::new(calendar, release)?;
    let passes = passes::run(&prepared.net, &prepared.inputs, None);
    prepared.analysis(&passes, today)
}

/// A release made ready for the passes: its graph and its dates as ordinals.
pub(crate) struct Prepared<'r> {
    release: &'r Release,
    cal: WorkCalendar,
    net: Network<'r>,
    inputs: Inputs,
}

impl<'r> Prepared<'r> {
    fn new(calendar: &Calendar, release: &'r Release) -> Result<Prepared<'r>> {
        let cal = WorkCalendar::new(calendar)?;
        let net = Network::new(release)?;
        let inputs = Inputs::new(&cal, release, &net);
        Ok(Prepared {
            release,
            cal,
            net,
            inputs,
        })
    }

    /// Working days to add to each component's finish; a key named twice
    /// slips by the sum. An unknown key is `Error::NotFound`.
    fn slip_days(&self, slips: &[(String, u32)]) -> Result<Vec<i64>> {
        let mut days = vec![0i64; self.net.len()];
        for (key, n) in slips {
            let c = self
                .net
                .index
                .get(key.as_str())
                .ok_or_else(|| crate::Error::NotFound {
                    what: "component",
                    key: key.clone(),
                })?;
            days[c as usize] += i64::from(*n);
        }
        Ok(days)
    }
}
