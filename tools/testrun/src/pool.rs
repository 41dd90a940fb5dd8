//! Running jobs on N threads while reporting results in input order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

/// Runs `work` on every item with `jobs` worker threads and hands each result to
/// `report` in the order of `items`, as soon as it and all earlier ones are done.
pub fn run_ordered<T, R, W, P>(items: &[T], jobs: usize, work: W, mut report: P)
where
    T: Sync,
    R: Send,
    W: Fn(&T) -> R + Sync,
    P: FnMut(usize, R),
{
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel();
    thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            let sender = sender.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else { break };
                if sender.send((index, work(item))).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        let mut pending = BTreeMap::new();
        let mut expected = 0;
        for (index, result) in receiver {
            pending.insert(index, result);
            while let Some(result) = pending.remove(&expected) {
                report(expected, result);
                expected += 1;
            }
        }
    });
}

/// The default parallelism: the number of CPUs.
pub fn default_jobs() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn reports_in_order_whatever_the_finishing_order() {
        let items: Vec<u64> = (0..20).rev().collect();
        let mut seen = Vec::new();
        run_ordered(
            &items,
            4,
            |&n| {
                thread::sleep(Duration::from_millis(n));
                n * 2
            },
            |index, result| seen.push((index, result)),
        );
        let want: Vec<(usize, u64)> = items.iter().enumerate().map(|(i, &n)| (i, n * 2)).collect();
        assert_eq!(seen, want);
    }

    #[test]
    fn empty_input() {
        let mut calls = 0;
        run_ordered(&[] as &[u8], 3, |_| (), |_, _| calls += 1);
        assert_eq!(calls, 0);
    }
}
