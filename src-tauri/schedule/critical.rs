//! The critical path: from the component that finishes at PF back to a
//! source, through critical predecessors whose dependency has no gap.

use super::network::Network;
use super::passes::Passes;

/// One critical path, first component first. Where several exist the choice
/// is by key: the smallest key among the components finishing at PF, then,
/// walking back, the smallest key among the tight critical predecessors.
/// Linear: each step reads one component's predecessors.
pub(crate) fn critical_path(net: &Network, p: &Passes) -> Vec<u32> {
    let Some(pf) = p.finish else {
        return Vec::new();
    };
    let mut end: Option<u32> = None;
    for c in 0..net.len() {
        if p.ef[c] == pf && end.is_none_or(|e| net.keys[c] < net.keys[e as usize]) {
            end = Some(c as u32);
        }
    }
    let Some(mut cur) = end else {
        return Vec::new();
    };
    let mut path = vec![cur];
    loop {
        let mut next: Option<u32> = None;
        for &e in net.preds(cur) {
            let f = net.from[e as usize];
            let tight = p.critical(f as usize) && p.gap(net, e as usize) == 0;
            if tight && next.is_none_or(|n| net.keys[f as usize] < net.keys[n as usize]) {
                next = Some(f);
            }
        }
        match next {
            Some(f) => {
                path.push(f);
                cur = f;
            }
            None => break,
        }
    }
    path.reverse();
    path
}
