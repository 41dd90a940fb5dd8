//! Deep recursion without stack overflow. Go accepts arbitrarily deep nesting (Go stacks
//! grow), so the recursive parts of the front end (parser, printer, branch checker) go on
//! in a scoped thread with a fresh, large stack every [`SEGMENT`] levels. Ordinary code
//! never nests that deep: no thread is started for it.

/// Recursion levels per stack segment.
pub(crate) const SEGMENT: u32 = 256;

/// Stack size of the threads that continue deep recursion (reserved, not committed, until
/// used): generously more than SEGMENT levels of any of the recursive walkers need.
const SEGMENT_STACK_SIZE: usize = 16 << 20;

/// A recursive walker that counts its nesting depth.
pub(crate) trait Deep: Send {
    /// The current nesting depth.
    fn depth(&mut self) -> &mut u32;
}

/// Runs `f` one recursion level deeper, on a fresh stack at every SEGMENT-th level.
#[inline(always)]
pub(crate) fn nested<S: Deep, T: Send>(s: &mut S, f: impl FnOnce(&mut S) -> T + Send) -> T {
    *s.depth() += 1;
    let result = if *s.depth() % SEGMENT == 0 { on_fresh_stack(s, f) } else { f(s) };
    *s.depth() -= 1;
    result
}

#[inline(never)]
fn on_fresh_stack<S: Deep, T: Send>(s: &mut S, f: impl FnOnce(&mut S) -> T + Send) -> T {
    let mut task = Some(f);
    let ran = std::thread::scope(|scope| {
        let (task, this) = (&mut task, &mut *s);
        let worker = std::thread::Builder::new()
            .name("goclift-deep".to_string())
            .stack_size(SEGMENT_STACK_SIZE)
            .spawn_scoped(scope, move || task.take().map(|f| f(this)));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            Err(_) => None,
        }
    });
    match (ran, task) {
        (Some(result), _) => result,
        // No thread could be started: go on here (only very deep input can fail then).
        (None, Some(f)) => f(s),
        (None, None) => unreachable!("the deep task ran but returned nothing"),
    }
}
