//! Cycles among word classes that name each other.
//!
//! Two places need to know: the builder, which refuses a class that
//! contains itself and says through which classes, and the snapshot
//! reader, which must not trust a damaged snapshot that holds one. The
//! search is iterative: a chain of classes as long as a damaged snapshot
//! makes it cannot overflow the stack.

/// A cycle of the graph whose node `n` points to the nodes `edges[n]`: the
/// nodes of the first cycle found, in order, the first one repeated at the
/// end. Nodes are tried in order, and so are their edges; an edge to a
/// node that does not exist leads nowhere.
pub(crate) fn find_cycle(edges: &[Vec<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        Not,
        OnPath,
        Done,
    }
    let mut seen = vec![Seen::Not; edges.len()];
    for first in 0..edges.len() {
        if seen[first] != Seen::Not {
            continue;
        }
        seen[first] = Seen::OnPath;
        // Each node on the path, and the next of its edges to follow.
        let mut path = vec![(first, 0)];
        while let Some((node, next)) = path.last_mut() {
            let Some(&to) = edges[*node].get(*next) else {
                seen[*node] = Seen::Done;
                path.pop();
                continue;
            };
            *next += 1;
            match seen.get(to) {
                Some(Seen::OnPath) => {
                    let from = path.iter().position(|&(n, _)| n == to).unwrap_or(0);
                    let mut cycle: Vec<usize> = path[from..].iter().map(|&(n, _)| n).collect();
                    cycle.push(to);
                    return Some(cycle);
                }
                Some(Seen::Not) => {
                    seen[to] = Seen::OnPath;
                    path.push((to, 0));
                }
                Some(Seen::Done) | None => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found_with_their_path_and_others_are_not() {
        // 0 → 1 → 2 → 1: the cycle is 1, 2, 1.
        assert_eq!(
            find_cycle(&[vec![1], vec![2], vec![1]]),
            Some(vec![1, 2, 1])
        );
        assert_eq!(find_cycle(&[vec![0]]), Some(vec![0, 0]));
        // A diamond, and an edge to no node, hold none.
        assert_eq!(
            find_cycle(&[vec![1, 2], vec![3], vec![3], vec![], vec![9]]),
            None
        );
        assert_eq!(find_cycle(&[]), None);
    }

    #[test]
    fn a_long_chain_is_searched_without_recursion() {
        let n = 1 << 20;
        let mut chain: Vec<Vec<usize>> = (1..n).map(|i| vec![i]).collect();
        chain.push(vec![]);
        assert_eq!(find_cycle(&chain), None);
        chain[n - 1] = vec![0];
        assert_eq!(find_cycle(&chain).map(|c| c.len()), Some(n + 1));
    }
}
