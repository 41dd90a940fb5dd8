//! Running a child process and measuring it: wall time, CPU time and peak
//! resident set size (ru_maxrss from wait4), with a timeout and captured output.
//!
//! Peak RSS needs care. Linux's ru_maxrss for a child is the maximum over the
//! memory images the process had, and the first of those is its parent's: with
//! posix_spawn (vfork), std's default, the child inherits the runner's whole
//! high-water mark, file pages included (about 2.5 MiB, more than a small Go
//! program uses). With a real fork the inherited part is only the runner's
//! anonymous RSS at the moment of the fork (a few hundred KiB). So children are
//! started with fork, and that floor is recorded with each measurement: a
//! reading at or below it says only "at most this much".

use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// How a measured child ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Exited normally with this status code.
    Code(i32),
    /// Killed by this signal (not by us).
    Signal(i32),
    /// Killed by the runner because it ran past its time limit.
    TimedOut,
}

impl Exit {
    /// True for a normal exit with status 0.
    pub fn success(self) -> bool {
        self == Exit::Code(0)
    }

    /// A short human description ("exit 2", "signal 11", "timed out").
    pub fn describe(self) -> String {
        match self {
            Exit::Code(c) => format!("exit {c}"),
            Exit::Signal(s) => format!("signal {s}"),
            Exit::TimedOut => "timed out".to_string(),
        }
    }
}

/// Everything measured about one run of a child process.
#[derive(Clone, Debug)]
pub struct Measurement {
    /// How the child ended.
    pub exit: Exit,
    /// From just before spawn until the child exited (before it was reaped).
    pub wall: Duration,
    /// CPU time the child spent in user mode.
    pub user: Duration,
    /// CPU time the child spent in the kernel.
    pub sys: Duration,
    /// Peak resident set size of the child, in KiB: max(the child's own peak,
    /// `rss_floor_kib`).
    pub max_rss_kib: u64,
    /// The runner's anonymous RSS just before the fork, in KiB: the part of the
    /// parent the kernel counts into the child's ru_maxrss (0 if unknown).
    pub rss_floor_kib: u64,
    /// Everything the child wrote to stdout.
    pub stdout: Vec<u8>,
    /// Everything the child wrote to stderr.
    pub stderr: Vec<u8>,
}

impl Measurement {
    /// User plus system CPU time.
    pub fn cpu(&self) -> Duration {
        self.user + self.sys
    }

    /// True when the peak RSS reading may be the inherited floor rather than
    /// the child's own peak.
    pub fn rss_is_floor(&self) -> bool {
        self.max_rss_kib <= self.rss_floor_kib
    }
}

/// Runs `cmd` to completion (or until `timeout`, when its process group is
/// killed) with stdin closed and stdout/stderr captured, and measures it.
pub fn run(cmd: &mut Command, timeout: Duration) -> std::io::Result<Measurement> {
    // Own process group, so that a timeout also kills whatever the child started
    // (goclift runs a linker) and the pipes close.
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    force_fork(cmd);
    let rss_floor_kib = own_anon_rss_kib();
    let start = Instant::now();
    let mut child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let (exited, watchdog) = start_watchdog(pid, timeout);

    let waited = wait_exited_without_reaping(pid);
    let wall = start.elapsed();
    // The child is a zombie now, so its pid cannot be reused under the watchdog.
    let _ = exited.send(());
    let timed_out = watchdog.join().unwrap_or(false);
    waited?;
    let (status, usage) = reap(pid)?;

    Ok(Measurement {
        exit: if timed_out {
            Exit::TimedOut
        } else {
            exit_of(status)
        },
        wall,
        user: timeval_duration(usage.ru_utime),
        sys: timeval_duration(usage.ru_stime),
        // Linux reports ru_maxrss in KiB.
        max_rss_kib: usage.ru_maxrss.max(0) as u64,
        rss_floor_kib,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// Makes std start the child with fork+exec instead of posix_spawn (std only
/// uses posix_spawn when no pre_exec hook is set); see the module docs.
fn force_fork(cmd: &mut Command) {
    // SAFETY: the hook does nothing, so it is trivially async-signal-safe.
    unsafe {
        cmd.pre_exec(|| Ok(()));
    }
}

/// The runner's own anonymous resident memory in KiB (RssAnon in
/// /proc/self/status), or 0 if it cannot be read.
fn own_anon_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("RssAnon:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Reads a pipe to its end on a thread, so that neither pipe can fill up and
/// block the child while the other is being read.
fn drain<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

/// Starts a thread that kills the process group `pid` unless told within
/// `timeout` that the child has exited; it returns whether it killed.
fn start_watchdog(
    pid: libc::pid_t,
    timeout: Duration,
) -> (mpsc::Sender<()>, thread::JoinHandle<bool>) {
    let (tx, rx) = mpsc::channel::<()>();
    let handle = thread::spawn(move || match rx.recv_timeout(timeout) {
        Err(mpsc::RecvTimeoutError::Timeout) => {
            // SAFETY: kill(2) has no memory-safety preconditions.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            true
        }
        _ => false,
    });
    (tx, handle)
}

/// Blocks until `pid` has exited but leaves it unreaped (WNOWAIT).
fn wait_exited_without_reaping(pid: libc::pid_t) -> std::io::Result<()> {
    loop {
        // SAFETY: an all-zero siginfo_t is a valid value to be overwritten.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: `info` is a valid, writable siginfo_t.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

/// Reaps `pid` with wait4, returning its wait status and resource usage.
fn reap(pid: libc::pid_t) -> std::io::Result<(libc::c_int, libc::rusage)> {
    loop {
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero rusage is a valid value to be overwritten.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `status` and `usage` are valid and writable.
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            return Ok((status, usage));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
}

fn exit_of(raw_status: libc::c_int) -> Exit {
    let status = ExitStatus::from_raw(raw_status);
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(sig)) => Exit::Signal(sig),
        (None, None) => Exit::Code(-1),
    }
}

fn timeval_duration(tv: libc::timeval) -> Duration {
    Duration::from_secs(tv.tv_sec.max(0) as u64) + Duration::from_micros(tv.tv_usec.max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Measurement {
        run(
            Command::new("/bin/sh").args(["-c", script]),
            Duration::from_secs(20),
        )
        .unwrap()
    }

    #[test]
    fn captures_both_streams_and_exit_code() {
        let m = sh("echo out; echo err >&2; exit 3");
        assert_eq!(m.exit, Exit::Code(3));
        assert_eq!(m.stdout, b"out\n");
        assert_eq!(m.stderr, b"err\n");
    }

    #[test]
    fn reports_death_by_signal() {
        let m = sh("kill -SEGV $$");
        assert_eq!(m.exit, Exit::Signal(libc::SIGSEGV));
    }

    #[test]
    fn kills_on_timeout_including_grandchildren() {
        // The grandchild keeps the pipes open; only a process-group kill ends it.
        let start = Instant::now();
        let m = run(
            Command::new("/bin/sh").args(["-c", "sleep 30 & sleep 30"]),
            Duration::from_millis(300),
        )
        .unwrap();
        assert_eq!(m.exit, Exit::TimedOut);
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn measures_wall_and_cpu_time() {
        let m = sh("sleep 0.2");
        assert!(m.exit.success());
        assert!(m.wall >= Duration::from_millis(200), "{:?}", m.wall);
        assert!(m.cpu() < Duration::from_millis(150), "{:?}", m.cpu());
    }

    #[test]
    fn peak_rss_follows_the_childs_own_memory() {
        // A shell string of ~64 MiB held in memory must show up in ru_maxrss.
        let big = sh("x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo ${#x}");
        assert_eq!(big.stdout, b"67108864\n");
        assert!(big.max_rss_kib > 64 * 1024, "big {}", big.max_rss_kib);
    }

    #[test]
    fn peak_rss_is_not_the_runners_file_pages() {
        // With posix_spawn a trivial child would report the runner's whole
        // high-water mark (text pages of this test binary: several MiB); with
        // fork only the runner's anonymous pages leak in. /bin/true itself
        // needs about 1 MiB.
        let m = run(&mut Command::new("/bin/true"), Duration::from_secs(10)).unwrap();
        let file_rss = proc_status_kib("RssFile:");
        assert!(
            file_rss > m.rss_floor_kib,
            "test binary's file RSS {file_rss} too small to tell"
        );
        assert!(
            m.max_rss_kib < m.rss_floor_kib + file_rss,
            "{} vs floor {} + file {}",
            m.max_rss_kib,
            m.rss_floor_kib,
            file_rss
        );
        assert!(m.rss_floor_kib > 0);
    }

    fn proc_status_kib(key: &str) -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find_map(|l| l.strip_prefix(key)).unwrap();
        line.trim().trim_end_matches("kB").trim().parse().unwrap()
    }
}
