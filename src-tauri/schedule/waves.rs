//! Release-day deployment waves: a component deploys one wave after the last
//! of its predecessors; within a wave, by the team's slot, then by key.

use super::network::Network;
use crate::plan::{KeyHash, Release};
use std::collections::HashMap;

/// Each component's wave (1-based, plan order) and the waves' keys in
/// deployment order.
pub(crate) fn waves<'r>(net: &Network<'r>, release: &'r Release) -> (Vec<u32>, Vec<Vec<&'r str>>) {
    let n = net.len();
    let mut wave = vec![1u32; n];
    let mut count = 0u32;
    for &c in &net.order {
        let mut w = 1;
        for &e in net.preds(c) {
            w = w.max(wave[net.from[e as usize] as usize] + 1);
        }
        wave[c as usize] = w;
        count = count.max(w);
    }

    let mut slot: HashMap<&str, u32, KeyHash> = HashMap::default();
    if let Some(ds) = &release.deploy_schedule {
        for (i, s) in ds.slots.iter().enumerate() {
            slot.entry(s.team.as_str()).or_insert(i as u32);
        }
    }
    let position: Vec<u32> = net
        .teams
        .iter()
        .map(|&t| slot.get(t).copied().unwrap_or(u32::MAX))
        .collect();

    // Components by wave (a counting sort), then each wave by slot and key.
    let mut start = vec![0usize; count as usize + 1];
    for &w in &wave {
        start[w as usize] += 1;
    }
    for w in 1..start.len() {
        start[w] += start[w - 1];
    }
    let mut order = vec![0u32; n];
    let mut fill = start.clone();
    for (c, &w) in wave.iter().enumerate() {
        order[fill[w as usize - 1]] = c as u32;
        fill[w as usize - 1] += 1;
    }
    let groups = (0..count as usize)
        .map(|w| {
            let group = &mut order[start[w]..start[w + 1]];
            let key = |c: u32| net.keys[c as usize];
            if group.windows(2).all(|p| key(p[0]) <= key(p[1])) {
                // Already by key (the plan lists them so): a stable sort by
                // slot keeps that order and compares no strings.
                group.sort_by_key(|&c| position[c as usize]);
            } else {
                group.sort_by(|&a, &b| {
                    (position[a as usize], key(a)).cmp(&(position[b as usize], key(b)))
                });
            }
            group.iter().map(|&c| net.keys[c as usize]).collect()
        })
        .collect();
    (wave, groups)
}
