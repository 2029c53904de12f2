//! petgraph's view of a [`Network`]: nodes are component indices and
//! neighbours come straight from its compressed rows, so
//! `petgraph::algo::toposort` runs on the arrays the passes use, with nothing
//! copied into a `petgraph::Graph` first.

use super::network::Network;
use petgraph::visit::{
    GraphBase, IntoNeighbors, IntoNeighborsDirected, IntoNodeIdentifiers, VisitMap, Visitable,
};
use petgraph::Direction;

impl GraphBase for Network<'_> {
    type NodeId = u32;
    type EdgeId = u32;
}

/// The components at the far end of some dependencies.
#[derive(Clone)]
pub(crate) struct Ends<'a> {
    edges: std::slice::Iter<'a, u32>,
    end: &'a [u32],
}

impl Iterator for Ends<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        self.edges.next().map(|&e| self.end[e as usize])
    }
}

impl<'a> IntoNeighbors for &'a Network<'_> {
    type Neighbors = Ends<'a>;

    fn neighbors(self, c: u32) -> Ends<'a> {
        Ends {
            edges: self.succs(c).iter(),
            end: &self.to,
        }
    }
}

impl<'a> IntoNeighborsDirected for &'a Network<'_> {
    type NeighborsDirected = Ends<'a>;

    fn neighbors_directed(self, c: u32, d: Direction) -> Ends<'a> {
        match d {
            Direction::Outgoing => self.neighbors(c),
            Direction::Incoming => Ends {
                edges: self.preds(c).iter(),
                end: &self.from,
            },
        }
    }
}

impl IntoNodeIdentifiers for &Network<'_> {
    type NodeIdentifiers = std::ops::Range<u32>;

    fn node_identifiers(self) -> std::ops::Range<u32> {
        0..self.len() as u32
    }
}

/// Which components a search has reached.
pub(crate) struct Visited(Vec<bool>);

impl VisitMap<u32> for Visited {
    fn visit(&mut self, c: u32) -> bool {
        !std::mem::replace(&mut self.0[c as usize], true)
    }

    fn is_visited(&self, c: &u32) -> bool {
        self.0[*c as usize]
    }

    fn unvisit(&mut self, c: u32) -> bool {
        std::mem::replace(&mut self.0[c as usize], false)
    }
}

impl Visitable for Network<'_> {
    type Map = Visited;

    fn visit_map(&self) -> Visited {
        Visited(vec![false; self.len()])
    }

    fn reset_map(&self, map: &mut Visited) {
        map.0.clear();
        map.0.resize(self.len(), false);
    }
}

/// Every component once, after all of its predecessors; `None` on a cycle.
pub(crate) fn topological_order(net: &Network) -> Option<Vec<u32>> {
    petgraph::algo::toposort(net, None).ok()
}
