//! The trace's unit tests: cycles and long chains.

use super::*;

#[test]
fn parent_cycles_are_found_once() {
    // 0 -> 1 -> 2 -> 0, 3 -> 1 (leads into the cycle), 4 -> 4 (self), 5 alone.
    let parent = [Some(1), Some(2), Some(0), Some(1), Some(4), None];
    let (cycles, mask) = find_parent_cycles(&parent);
    assert_eq!(cycles, vec![vec![0, 1, 2], vec![4]]);
    assert_eq!(mask, vec![true, true, true, false, true, false]);
}

#[test]
fn dependency_cycles_are_components() {
    let edges = vec![vec![1], vec![2], vec![0, 3], vec![], vec![4], vec![3]];
    assert_eq!(cycles_in(&edges), vec![vec![0, 1, 2], vec![4]]);
}

#[test]
fn long_chains_do_not_overflow() {
    let n = 200_000;
    let mut edges: Vec<Vec<usize>> = (0..n).map(|i| vec![i + 1]).collect();
    edges[n - 1] = vec![0];
    assert_eq!(cycles_in(&edges).len(), 1);
}
