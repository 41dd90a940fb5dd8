//! goclift's side: `goclift check --parse-only -e -j N FILES...` on batches of files.
//! It prints `file:line:col: message` lines (sorted per file, files in the order given)
//! and exits 1 when there were errors. A batch whose run fails (crash, timeout, output
//! that cannot be read) is run again file by file, so that only the files at fault are
//! reported as failed.

use super::compare::{FileReport, FirstError};
use crate::process::{run_combined, Termination};
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Files per goclift run: few processes, and a crash costs one re-run of this many.
const BATCH: usize = 256;

/// goclift's report on every file of `paths`, in order.
pub fn parse(goclift: &Path, paths: &[String], jobs: usize, timeout: Duration) -> Vec<FileReport> {
    let mut reports = Vec::with_capacity(paths.len());
    for batch in paths.chunks(BATCH) {
        match run_batch(goclift, batch, jobs, timeout) {
            Ok(batch_reports) => reports.extend(batch_reports),
            Err(_) if batch.len() > 1 => {
                reports.extend(batch.iter().map(|path| run_alone(goclift, path, timeout)));
            }
            Err(why) => reports.push(FileReport::Failed(why)),
        }
    }
    reports
}

fn run_alone(goclift: &Path, path: &str, timeout: Duration) -> FileReport {
    match run_batch(goclift, std::slice::from_ref(&path.to_string()), 1, timeout) {
        Ok(mut reports) => reports.pop().unwrap_or(FileReport::Failed("no report".into())),
        Err(why) => FileReport::Failed(why),
    }
}

/// One goclift run on `paths`; Err describes a run whose output cannot be trusted.
fn run_batch(goclift: &Path, paths: &[String], jobs: usize, timeout: Duration) -> Result<Vec<FileReport>, String> {
    let mut cmd = Command::new(goclift);
    cmd.args(["check", "--parse-only", "-e", "-j", &jobs.to_string()]).args(paths);
    let captured = run_combined(cmd, timeout).map_err(|e| format!("cannot run {}: {e}", goclift.display()))?;
    let output = String::from_utf8_lossy(&captured.output);
    let errors = parse_output(&output, paths)?;
    let printed_any = errors.iter().any(|e| !e.is_empty());
    match captured.termination {
        Termination::Exited(0) if !printed_any => {}
        Termination::Exited(1) if printed_any => {}
        other => return Err(format!("{other}{}", first_line_note(&output))),
    }
    Ok(errors.into_iter().map(into_report).collect())
}

fn first_line_note(output: &str) -> String {
    match output.lines().next() {
        Some(line) => format!(": {line}"),
        None => String::new(),
    }
}

fn into_report(errors: Vec<FirstError>) -> FileReport {
    let count = errors.len();
    match errors.into_iter().next() {
        Some(first) => FileReport::Errors { count, first },
        None => FileReport::Clean,
    }
}

/// Splits goclift's output into the errors of each of `paths`. A line that does not start
/// with one of the paths continues the previous message (a message can quote a newline); when
/// goclift parsed a single file, a line naming another file with a line number is that file's
/// error at a position renamed by a //line directive.
fn parse_output(output: &str, paths: &[String]) -> Result<Vec<Vec<FirstError>>, String> {
    let index: HashMap<&str, usize> = paths.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
    let mut errors: Vec<Vec<FirstError>> = vec![Vec::new(); paths.len()];
    let mut last: Option<usize> = None;
    for line in output.lines() {
        match split_path(line, &index) {
            Some((i, rest)) => {
                errors[i].push(parse_position(rest));
                last = Some(i);
            }
            None if renamed_position(line).is_some() && !line.starts_with(char::is_whitespace) => {
                // Which file of a batch a renamed position belongs to is unknown: the caller
                // reruns the batch's files one at a time.
                if paths.len() > 1 {
                    return Err(format!("position renamed by a //line directive: {line}"));
                }
                let (name, rest) = renamed_position(line).unwrap_or_default();
                errors[0].push(FirstError { renamed: Some(name.to_string()), ..parse_position(rest) });
                last = Some(0);
            }
            None => {
                let previous = last.and_then(|i| errors[i].last_mut());
                let Some(previous) = previous else { return Err(format!("unexpected output: {line}")) };
                previous.msg.push('\n');
                previous.msg.push_str(line);
            }
        }
    }
    Ok(errors)
}

/// The index of the path `line` starts with (followed by `:`), and the rest after the `:`.
fn split_path<'a>(line: &'a str, index: &HashMap<&str, usize>) -> Option<(usize, &'a str)> {
    line.match_indices(':').find_map(|(at, _)| index.get(&line[..at]).map(|&i| (i, &line[at + 1..])))
}

/// `name:line...` split at the colon before the line number, when `line` has that form.
fn renamed_position(line: &str) -> Option<(&str, &str)> {
    line.match_indices(':').find_map(|(at, _)| {
        let rest = &line[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (at > 0 && digits > 0 && rest.as_bytes().get(digits) == Some(&b':')).then(|| (&line[..at], rest))
    })
}

/// `line:col: message`, `line: message`, or (an I/O error) just ` message`.
fn parse_position(rest: &str) -> FirstError {
    let number_then_colon = |text: &str| -> Option<(u32, usize)> {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || text.as_bytes().get(digits) != Some(&b':') {
            return None;
        }
        Some((text[..digits].parse().ok()?, digits + 1))
    };
    let (mut line, mut col, mut at) = (0, 0, 0);
    if let Some((n, used)) = number_then_colon(rest) {
        (line, at) = (n, used);
        if let Some((n, used)) = number_then_colon(&rest[at..]) {
            (col, at) = (n, at + used);
        }
    }
    let msg = rest[at..].strip_prefix(' ').unwrap_or(&rest[at..]).to_string();
    FirstError { renamed: None, line, col, msg, in_file: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tempdir::TempDir;
    use std::os::unix::fs::PermissionsExt;

    fn paths(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn a_single_files_renamed_positions_are_its_own() {
        let out = "issue.go:20: syntax error: import path must be a string\nissue.go:24: later\n";
        let errors = parse_output(out, &paths(&["/t/x.go"])).unwrap();
        assert_eq!(errors[0].len(), 2);
        assert_eq!((errors[0][0].renamed.as_deref(), errors[0][0].line, errors[0][0].col), (Some("issue.go"), 20, 0));
        assert!(parse_output(out, &paths(&["/t/x.go", "/t/y.go"])).is_err());
    }

    #[test]
    fn output_is_split_per_file() {
        let files = paths(&["/t/a.go", "/t/b.go", "/t/c.go"]);
        let output = "/t/a.go:3:4: syntax error: x\n/t/a.go:5: no column\n/t/c.go:1:1: literal `a\nb` here\n";
        let errors = parse_output(output, &files).unwrap();
        assert_eq!(errors.iter().map(Vec::len).collect::<Vec<_>>(), [2, 0, 1]);
        assert_eq!((errors[0][0].line, errors[0][0].col, errors[0][0].msg.as_str()), (3, 4, "syntax error: x"));
        assert_eq!((errors[0][1].line, errors[0][1].col, errors[0][1].msg.as_str()), (5, 0, "no column"));
        assert_eq!(errors[2][0].msg, "literal `a\nb` here");
        assert!(parse_output("stray line\n", &files).is_err());
        let io_error = parse_output("/t/b.go: No such file or directory (os error 2)\n", &files).unwrap();
        assert_eq!((io_error[1][0].line, io_error[1][0].msg.as_str()), (0, "No such file or directory (os error 2)"));
    }

    #[test]
    fn message_positions_do_not_confuse_the_split() {
        let files = paths(&["/t/a.go"]);
        let output = "/t/a.go:7:3: goto L jumps into block starting at /t/a.go:9:2\n";
        let errors = parse_output(output, &files).unwrap();
        assert_eq!(errors[0][0].msg, "goto L jumps into block starting at /t/a.go:9:2");
    }

    /// A stand-in goclift: reports "x.go" files as erroneous, crashes on "crash.go".
    fn fake_goclift(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("fakegoclift");
        let script = r#"#!/bin/sh
# usage: fakegoclift check --parse-only -e -j N FILE...
shift 5
status=0
for f in "$@"; do
  case "$f" in
    *crash.go) kill -SEGV $$ ;;
    *x.go) echo "$f:2:3: syntax error: bad" >&2; echo "$f:4:1: second" >&2; status=1 ;;
  esac
done
exit $status
"#;
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    #[test]
    fn batches_and_crashes() {
        let temp = TempDir::new().unwrap();
        let goclift = fake_goclift(temp.path());
        let files = paths(&["/t/ok.go", "/t/x.go", "/t/crash.go", "/t/y.go"]);
        let reports = parse(&goclift, &files, 2, Duration::from_secs(20));
        assert_eq!(reports.len(), 4);
        assert_eq!(reports[0], FileReport::Clean);
        let FileReport::Errors { count, first } = &reports[1] else { panic!("{:?}", reports[1]) };
        assert_eq!((*count, first.line, first.col, first.msg.as_str()), (2, 2, 3, "syntax error: bad"));
        assert_eq!(reports[2], FileReport::Failed("signal: segmentation fault".into()));
        assert_eq!(reports[3], FileReport::Clean);
    }
}
