//! The forward pass (earliest dates) and the backward pass (latest dates) of
//! spec/schedule.md, on working-day ordinals: two loops over the topological
//! order, one allocation per result array, no searches.

use super::calendar::{WorkCalendar, WorkDay};
use super::network::Network;
use crate::plan::Release;

/// How a component's earliest finish is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Finish {
    /// The `duration_days`-th working day from ES.
    Duration,
    /// The team's eta (moved to a working day), unless it is before ES.
    Eta(WorkDay),
    /// Done on this day (moved to a working day).
    Done(WorkDay),
}

/// Every date of a release the rules read, as ordinals, computed once.
pub(crate) struct Inputs {
    /// Per component: the latest of the release start and its own start.
    pub earliest: Vec<WorkDay>,
    pub finish: Vec<Finish>,
    pub duration: Vec<i64>,
    /// Per dependency: the last working day on or before `needed_by`.
    pub needed_by: Vec<Option<WorkDay>>,
    /// Per milestone: the last working day on or before `due`; all scenarios done?
    pub due: Vec<WorkDay>,
    pub scenarios_done: Vec<bool>,
    pub feature_freeze: Option<WorkDay>,
    pub code_freeze: Option<WorkDay>,
    pub release_date: WorkDay,
}

impl Inputs {
    pub fn new(cal: &WorkCalendar, release: &Release, net: &Network) -> Inputs {
        let start = cal.on_or_after(release.start);
        let n = release.components.len();
        let mut earliest = Vec::with_capacity(n);
        let mut finish = Vec::with_capacity(n);
        let mut duration = Vec::with_capacity(n);
        for c in &release.components {
            earliest.push(c.start.map_or(start, |s| start.max(cal.on_or_after(s))));
            finish.push(match (c.done_on, c.eta) {
                (Some(d), _) => Finish::Done(cal.on_or_after(d)),
                (None, Some(e)) => Finish::Eta(cal.on_or_after(e)),
                (None, None) => Finish::Duration,
            });
            duration.push(i64::from(c.duration_days));
        }
        Inputs {
            earliest,
            finish,
            duration,
            needed_by: net
                .needed_by
                .iter()
                .map(|d| d.map(|x| cal.on_or_before(x)))
                .collect(),
            due: release
                .milestones
                .iter()
                .map(|m| cal.on_or_before(m.due))
                .collect(),
            scenarios_done: release
                .milestones
                .iter()
                .map(|m| m.scenarios.iter().all(|s| s.done))
                .collect(),
            feature_freeze: release.feature_freeze.map(|d| cal.on_or_before(d)),
            code_freeze: release.code_freeze.map(|d| cal.on_or_before(d)),
            release_date: cal.on_or_before(release.release_date),
        }
    }
}

/// The result of both passes, per component (plan order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Passes {
    pub es: Vec<WorkDay>,
    pub ef: Vec<WorkDay>,
    pub ls: Vec<WorkDay>,
    pub lf: Vec<WorkDay>,
    pub eta_inconsistent: Vec<bool>,
    /// PF: the largest EF; `None` for a release without components.
    pub finish: Option<WorkDay>,
}

impl Passes {
    /// Total float: working days from ES to LS.
    pub fn float(&self, c: usize) -> i64 {
        self.ls[c] - self.es[c]
    }

    pub fn critical(&self, c: usize) -> bool {
        self.ls[c] == self.es[c]
    }

    /// The effective duration: working days from ES to EF, both included.
    pub fn duration(&self, c: usize) -> i64 {
        self.ef[c] - self.es[c] + 1
    }

    /// Working days between `from`'s finish (plus the lag) and `to`'s start;
    /// 0 when the dependency is what fixes `to`'s start.
    pub fn gap(&self, net: &Network, e: usize) -> i64 {
        let (f, t) = (net.from[e] as usize, net.to[e] as usize);
        self.es[t] - (self.ef[f] + 1 + net.lag[e])
    }
}

/// Runs both passes. `slip[c]` working days are added to component `c`'s
/// finish (what-if); `None` is no slip.
pub(crate) fn run(net: &Network, inputs: &Inputs, slip: Option<&[i64]>) -> Passes {
    let n = net.len();
    let mut es = vec![0; n];
    let mut ef = vec![0; n];
    let mut eta_inconsistent = vec![false; n];
    for &c in &net.order {
        let c = c as usize;
        let mut start = inputs.earliest[c];
        for &e in net.preds(c as u32) {
            let e = e as usize;
            start = start.max(ef[net.from[e] as usize] + 1 + net.lag[e]);
        }
        let extra = slip.map_or(0, |s| s[c]);
        let by_duration = start + inputs.duration[c] - 1 + extra;
        let finish = match inputs.finish[c] {
            Finish::Duration => by_duration,
            Finish::Eta(eta) if eta >= start => eta + extra,
            Finish::Eta(_) => {
                eta_inconsistent[c] = true;
                by_duration
            }
            Finish::Done(done) => {
                // Done ahead of its computed start: it took its finish day only.
                start = start.min(done + extra);
                done + extra
            }
        };
        es[c] = start;
        ef[c] = finish;
    }

    let finish = ef.iter().copied().max();
    let mut ls = vec![0; n];
    let mut lf = vec![0; n];
    if let Some(pf) = finish {
        for &c in net.order.iter().rev() {
            let succs = net.succs(c);
            let c = c as usize;
            let mut latest = WorkDay::MAX;
            for &e in succs {
                let (e, s) = (e as usize, net.to[e as usize] as usize);
                // A successor done before this dependency allowed it to start
                // (done ahead) no longer waits: it sets no limit here.
                if es[s] >= ef[c] + 1 + net.lag[e] {
                    latest = latest.min(ls[s] - 1 - net.lag[e]);
                }
            }
            if latest == WorkDay::MAX {
                latest = pf;
            }
            lf[c] = latest;
            ls[c] = latest - (ef[c] - es[c]);
        }
    }
    Passes {
        es,
        ef,
        ls,
        lf,
        eta_inconsistent,
        finish,
    }
}
