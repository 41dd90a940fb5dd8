//! Running a command with stdout and stderr on one pipe (so their interleaving is kept,
//! as with Go's `cmd.Stdout = cmd.Stderr = &buf`), stdin from /dev/null, and a time limit.

use std::io::{self, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// Output beyond this many bytes is read and dropped, so that a runaway program cannot
/// exhaust memory; no expected output comes near it.
pub const OUTPUT_LIMIT: usize = 16 << 20;

/// How long to wait for the output pipe to close after the command exited: a process
/// it left behind may hold the pipe open.
const ORPHAN_GRACE: Duration = Duration::from_secs(2);

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// Exited with this status.
    Exited(i32),
    /// Killed by this signal.
    Signaled(i32),
    /// Killed by us after the time limit.
    TimedOut,
}

impl Termination {
    /// Whether the command exited with status 0.
    pub fn success(self) -> bool {
        self == Termination::Exited(0)
    }

    fn from_status(status: ExitStatus) -> Termination {
        match (status.code(), status.signal()) {
            (Some(code), _) => Termination::Exited(code),
            (None, Some(signal)) => Termination::Signaled(signal),
            (None, None) => Termination::Exited(-1),
        }
    }
}

impl std::fmt::Display for Termination {
    /// Worded like Go's exec.ExitError ("exit status 2", "signal: killed").
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Termination::Exited(code) => write!(f, "exit status {code}"),
            Termination::Signaled(signal) => write!(f, "signal: {}", signal_name(*signal)),
            Termination::TimedOut => write!(f, "timed out"),
        }
    }
}

fn signal_name(signal: i32) -> String {
    let name = match signal {
        4 => "illegal instruction",
        5 => "trace/breakpoint trap",
        6 => "aborted",
        7 => "bus error",
        8 => "floating point exception",
        9 => "killed",
        11 => "segmentation fault",
        13 => "broken pipe",
        15 => "terminated",
        _ => return format!("signal {signal}"),
    };
    name.to_string()
}

/// The result of a finished command.
#[derive(Debug, Clone)]
pub struct Captured {
    /// How it ended.
    pub termination: Termination,
    /// Combined stdout and stderr, at most [`OUTPUT_LIMIT`] bytes.
    pub output: Vec<u8>,
    /// Whether output was dropped because of [`OUTPUT_LIMIT`].
    pub truncated: bool,
    /// Wall-clock time from start to exit.
    pub elapsed: Duration,
}

/// Runs `cmd` with combined output, null stdin, in its own process group, killing the
/// group when `timeout` passes. Errors only when the command cannot be started.
pub fn run_combined(mut cmd: Command, timeout: Duration) -> io::Result<Captured> {
    let (reader, writer) = io::pipe()?;
    cmd.stdin(Stdio::null()).stdout(writer.try_clone()?).stderr(writer).process_group(0);
    let start = Instant::now();
    let child = cmd.spawn();
    // The Command holds our copies of the pipe's write end: drop them, or the reader
    // would never see end of file.
    drop(cmd);
    let mut child = child?;
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let _ = sender.send(read_limited(reader));
    });
    let termination = wait_with_deadline(&mut child, start + timeout)?;
    let elapsed = start.elapsed();
    let (output, truncated) = match receiver.recv_timeout(ORPHAN_GRACE) {
        Ok(read) => read,
        Err(_) => {
            // Leftover processes of the group still hold the pipe.
            kill_group(child.id());
            receiver.recv().unwrap_or_default()
        }
    };
    Ok(Captured { termination, output, truncated, elapsed })
}

/// Reads everything, keeping the first [`OUTPUT_LIMIT`] bytes.
fn read_limited(mut reader: impl Read) -> (Vec<u8>, bool) {
    let mut kept = Vec::new();
    let mut truncated = false;
    let mut buf = [0u8; 64 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let room = OUTPUT_LIMIT - kept.len();
                truncated |= n > room;
                kept.extend_from_slice(&buf[..n.min(room)]);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    (kept, truncated)
}

/// Waits for the child, polling with a growing interval (fast for the many tiny test
/// programs, cheap for long ones); kills its process group at the deadline.
fn wait_with_deadline(child: &mut Child, deadline: Instant) -> io::Result<Termination> {
    let mut interval = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Termination::from_status(status));
        }
        let now = Instant::now();
        if now >= deadline {
            kill_group(child.id());
            child.wait()?;
            return Ok(Termination::TimedOut);
        }
        thread::sleep(interval.min(deadline - now));
        interval = (interval * 2).min(Duration::from_millis(20));
    }
}

/// Sends SIGKILL to the process group led by `pid` (the child was made a group leader,
/// so this reaches it and everything it started that stayed in its group).
fn kill_group(pid: u32) {
    extern "C" {
        fn kill(pid: i32, sig: i32) -> i32;
    }
    const SIGKILL: i32 = 9;
    // SAFETY: kill(2) takes plain integers and touches no memory of ours.
    unsafe {
        kill(-(pid as i32), SIGKILL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("/bin/sh");
        cmd.arg("-c").arg(script);
        cmd
    }

    #[test]
    fn interleaves_stdout_and_stderr() {
        let got = run_combined(sh("echo a; echo b >&2; echo c"), Duration::from_secs(10)).unwrap();
        assert_eq!(got.output, b"a\nb\nc\n");
        assert_eq!(got.termination, Termination::Exited(0));
        assert!(!got.truncated);
    }

    #[test]
    fn reports_exit_status_and_signals() {
        let got = run_combined(sh("echo x; exit 3"), Duration::from_secs(10)).unwrap();
        assert_eq!(got.termination, Termination::Exited(3));
        assert_eq!(got.termination.to_string(), "exit status 3");
        let got = run_combined(sh("kill -SEGV $$"), Duration::from_secs(10)).unwrap();
        assert_eq!(got.termination, Termination::Signaled(11));
        assert_eq!(got.termination.to_string(), "signal: segmentation fault");
    }

    #[test]
    fn stdin_is_empty() {
        let got = run_combined(sh("wc -c"), Duration::from_secs(10)).unwrap();
        assert_eq!(String::from_utf8_lossy(&got.output).trim(), "0");
    }

    #[test]
    fn kills_on_timeout() {
        let start = Instant::now();
        let got = run_combined(sh("echo started; sleep 30"), Duration::from_millis(300)).unwrap();
        assert_eq!(got.termination, Termination::TimedOut);
        assert_eq!(got.output, b"started\n");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn does_not_hang_on_background_children() {
        let start = Instant::now();
        let got = run_combined(sh("sleep 30 & echo done"), Duration::from_secs(20)).unwrap();
        assert_eq!(got.termination, Termination::Exited(0));
        assert_eq!(got.output, b"done\n");
        assert!(start.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn limits_output() {
        let script = format!("head -c {} /dev/zero", OUTPUT_LIMIT + 100);
        let got = run_combined(sh(&script), Duration::from_secs(20)).unwrap();
        assert!(got.truncated);
        assert_eq!(got.output.len(), OUTPUT_LIMIT);
    }

    #[test]
    fn missing_program_is_an_error() {
        let cmd = Command::new("/nonexistent/goclift");
        assert!(run_combined(cmd, Duration::from_secs(1)).is_err());
    }
}
