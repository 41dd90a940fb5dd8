//! What the runtime does with each signal (gc's sigtab_linux_generic.go): the flags of gc's
//! signal table and the names its crash reports print.

/// os/signal may relay the signal to the program (signal.Notify).
pub const NOTIFY: u8 = 1;
/// If not relayed, the signal kills the program with its default action.
pub const KILL: u8 = 2;
/// If not relayed, the signal is a fatal error with a crash report.
pub const THROW: u8 = 4;
/// A fault from the kernel is a run-time panic.
pub const PANIC: u8 = 8;
/// The runtime leaves the default action until the program asks for the signal.
pub const DEFAULT: u8 = 16;
/// Ignored when not relayed (documentation: the handler returns for these as for any
/// NOTIFY-only signal).
pub const IGN: u8 = 32;
/// Left to the C library (glibc's internal signals); the runtime never installs a handler.
pub const SET_STACK: u8 = 64;

/// Signals are numbered 1 to 64 on Linux.
pub const NSIG: u32 = 65;

/// The flags of signals 0 to 31; signals 32 to 34 are SET_STACK and 35 to 64 NOTIFY.
const TABLE: [(u8, &str); 32] = [
    (0, "SIGNONE: no trap"),
    (NOTIFY | KILL, "SIGHUP: terminal line hangup"),
    (NOTIFY | KILL, "SIGINT: interrupt"),
    (NOTIFY | THROW, "SIGQUIT: quit"),
    (THROW, "SIGILL: illegal instruction"),
    (THROW, "SIGTRAP: trace trap"),
    (NOTIFY | THROW, "SIGABRT: abort"),
    (PANIC, "SIGBUS: bus error"),
    (PANIC, "SIGFPE: floating-point exception"),
    (0, "SIGKILL: kill"),
    (NOTIFY, "SIGUSR1: user-defined signal 1"),
    (PANIC, "SIGSEGV: segmentation violation"),
    (NOTIFY, "SIGUSR2: user-defined signal 2"),
    (NOTIFY, "SIGPIPE: write to broken pipe"),
    (NOTIFY, "SIGALRM: alarm clock"),
    (NOTIFY | KILL, "SIGTERM: termination"),
    (THROW, "SIGSTKFLT: stack fault"),
    (NOTIFY | IGN, "SIGCHLD: child status has changed"),
    (NOTIFY | DEFAULT | IGN, "SIGCONT: continue"),
    (0, "SIGSTOP: stop, unblockable"),
    (NOTIFY | DEFAULT | IGN, "SIGTSTP: keyboard stop"),
    (NOTIFY | DEFAULT | IGN, "SIGTTIN: background read from tty"),
    (NOTIFY | DEFAULT | IGN, "SIGTTOU: background write to tty"),
    (NOTIFY | IGN, "SIGURG: urgent condition on socket"),
    (NOTIFY, "SIGXCPU: cpu limit exceeded"),
    (NOTIFY, "SIGXFSZ: file size limit exceeded"),
    (NOTIFY, "SIGVTALRM: virtual alarm clock"),
    (NOTIFY, "SIGPROF: profiling alarm clock"),
    (NOTIFY | IGN, "SIGWINCH: window size change"),
    (NOTIFY, "SIGIO: i/o now possible"),
    (NOTIFY, "SIGPWR: power failure restart"),
    (THROW, "SIGSYS: bad system call"),
];

/// The flags of signal `sig` (gc treats signals outside its table as THROW).
pub fn flags(sig: u32) -> u8 {
    match sig {
        0..=31 => TABLE[sig as usize].0,
        32..=34 => SET_STACK,
        35..=64 => NOTIFY,
        _ => THROW,
    }
}

/// gc's name of signal `sig` ("SIGSEGV: segmentation violation"); "" past the named ones.
pub fn name(sig: u32) -> &'static str {
    if (1..32).contains(&sig) {
        TABLE[sig as usize].1
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_follow_gc() {
        assert_eq!(flags(2), NOTIFY | KILL);
        assert_eq!(flags(11), PANIC);
        assert_eq!(flags(23) & IGN, IGN);
        assert_eq!(flags(33), SET_STACK);
        assert_eq!(flags(64), NOTIFY);
        assert_eq!(name(13), "SIGPIPE: write to broken pipe");
        assert_eq!(name(40), "");
    }
}
