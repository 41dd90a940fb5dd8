//! Turning results into the report: aligned markdown tables that read well in
//! a terminal and paste into a document.

use crate::frontend::{Task, ToolRuns};
use crate::programs::{ProgramResult, Side};
use crate::stats::{fmt_count, fmt_mib, fmt_ratio, fmt_secs, fmt_si, ratio};

/// A table: a header row and data rows of cells.
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Cells, one Vec per row, as many as header entries.
    pub rows: Vec<Vec<String>>,
    /// How many leading columns hold text (left-aligned); the rest are
    /// numbers (right-aligned).
    pub text_columns: usize,
}

impl Table {
    /// An empty table with these column titles.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            text_columns: 1,
        }
    }

    /// Renders as a markdown table with padded columns.
    pub fn to_markdown(&self) -> String {
        let escape = |s: &String| s.replace('|', "\\|");
        let header: Vec<String> = self.header.iter().map(escape).collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(escape).collect())
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|c| {
                rows.iter()
                    .map(|r| width(&r[c]))
                    .chain([width(&header[c]), 3])
                    .max()
                    .unwrap_or(3)
            })
            .collect();
        let mut out = self.render_row(&header, &widths);
        let rule: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(c, &w)| {
                if c < self.text_columns {
                    format!(":{}", "-".repeat(w - 1))
                } else {
                    format!("{}:", "-".repeat(w - 1))
                }
            })
            .collect();
        out.push_str(&format!("| {} |\n", rule.join(" | ")));
        for row in &rows {
            out.push_str(&self.render_row(row, &widths));
        }
        out
    }

    fn render_row(&self, cells: &[String], widths: &[usize]) -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(c, (s, &w))| {
                if c < self.text_columns {
                    format!("{s:<w$}")
                } else {
                    format!("{s:>w$}")
                }
            })
            .collect();
        format!("| {} |\n", padded.join(" | "))
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// The main table: one row per program.
pub fn program_table(results: &[ProgramResult]) -> Table {
    let mut t = Table::new(&[
        "program",
        "gc time",
        "goclift time",
        "ratio",
        "gc RSS",
        "goclift RSS",
        "ratio",
        "gc size",
        "goclift size",
        "ratio",
        "gc compile",
        "goclift compile",
        "ratio",
    ]);
    for r in results {
        let (gc, gl) = (&r.gc, &r.goclift);
        let mut row = vec![r.program.name.clone()];
        row.extend(triple(gc, gl, Side::median_wall, fmt_secs));
        row.extend(rss_triple(gc, gl));
        row.extend(triple(gc, gl, |s| s.build.size.map(|b| b as f64), fmt_mib));
        row.extend(triple(
            gc,
            gl,
            |s| {
                s.build
                    .compile_time
                    .filter(|_| s.build.binary.is_some())
                    .map(|d| d.as_secs_f64())
            },
            fmt_secs,
        ));
        t.rows.push(row);
    }
    t
}

/// Run counts, CPU time and spread: how much to trust the main table.
pub fn detail_table(results: &[ProgramResult]) -> Table {
    let mut t = Table::new(&[
        "program",
        "gc runs",
        "goclift runs",
        "gc CPU",
        "goclift CPU",
        "ratio",
        "gc min–max",
        "goclift min–max",
    ]);
    for r in results {
        let (gc, gl) = (&r.gc, &r.goclift);
        let cpu = triple(gc, gl, Side::median_cpu, fmt_secs);
        t.rows.push(vec![
            r.program.name.clone(),
            gc.runs.len().to_string(),
            gl.runs.len().to_string(),
            cpu[0].clone(),
            cpu[1].clone(),
            cpu[2].clone(),
            spread(gc),
            spread(gl),
        ]);
    }
    t
}

/// gc's value, goclift's value and their ratio, as cells. A side that failed
/// shows its failure instead of a number where the number would be its own.
fn triple(
    gc: &Side,
    goclift: &Side,
    value: impl Fn(&Side) -> Option<f64>,
    fmt: impl Fn(f64) -> String,
) -> [String; 3] {
    let cell = |s: &Side| match (&s.failure, value(s)) {
        (Some(f), None) => f.label().to_string(),
        (_, Some(v)) => fmt(v),
        (None, None) => "-".to_string(),
    };
    [
        cell(gc),
        cell(goclift),
        fmt_ratio(ratio(value(goclift), value(gc))),
    ]
}

fn rss_triple(gc: &Side, goclift: &Side) -> [String; 3] {
    let mut cells = triple(gc, goclift, Side::median_rss, fmt_mib);
    for (cell, side) in cells.iter_mut().zip([gc, goclift]) {
        if side.ok() && side.rss_at_floor() {
            // The reading may be the runner's own inherited pages (see measure.rs).
            *cell = format!("≤{cell}");
        }
    }
    cells
}

fn spread(side: &Side) -> String {
    let walls: Vec<f64> = side.runs.iter().map(|m| m.wall.as_secs_f64()).collect();
    match (
        walls.iter().copied().reduce(f64::min),
        walls.iter().copied().reduce(f64::max),
    ) {
        (Some(lo), Some(hi)) if side.ok() => format!("{lo:.3}–{hi:.3} s"),
        _ => "-".to_string(),
    }
}

/// What went wrong, per program side, as markdown; programs that failed the
/// same way are listed together.
pub fn program_failures(results: &[ProgramResult]) -> String {
    // (compiler, failure label, detail) and the programs that share them.
    type Group<'a> = ((&'a str, &'a str, &'a str), Vec<&'a str>);
    let mut groups: Vec<Group> = Vec::new();
    for r in results {
        for (who, side) in [("gc", &r.gc), ("goclift", &r.goclift)] {
            if let Some(f) = &side.failure {
                let key = (who, f.label(), side.detail.as_str());
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, names)) => names.push(&r.program.name),
                    None => groups.push((key, vec![&r.program.name])),
                }
            }
        }
    }
    let mut out = String::new();
    for ((who, label, detail), names) in groups {
        out.push_str(&format!("- **{}**, {who}: {label}\n\n", names.join(", ")));
        out.push_str(&fenced(detail));
    }
    out
}

/// The front-end table: one row per tool and task.
pub fn frontend_table(tasks: &[Task]) -> Table {
    let mut t = Table::new(&[
        "task",
        "tool",
        "files",
        "lines",
        "MB",
        "time",
        "CPU",
        "MB/s",
        "lines/s",
        "peak RSS",
        "goclift / this",
        "same, CPU",
    ]);
    t.text_columns = 2;
    for task in tasks {
        let goclift = &task.goclift;
        for tool in &task.go {
            let ratios = [
                fmt_ratio(ratio(goclift.time(), tool.time())),
                fmt_ratio(ratio(goclift.cpu_time(), tool.cpu_time())),
            ];
            t.rows.push(frontend_row(task.name, tool, tool, ratios));
        }
        let counted = match task.goclift.counts {
            Some(_) => &task.goclift,
            None => task.go.get(task.same_input_as).unwrap_or(&task.goclift),
        };
        let no_ratio = ["-".to_string(), "-".to_string()];
        t.rows
            .push(frontend_row(task.name, &task.goclift, counted, no_ratio));
    }
    t
}

/// A row for `tool`, with sizes and rates from `counted` (itself, or for
/// goclift the yardstick that read the same input).
fn frontend_row(
    task: &str,
    tool: &ToolRuns,
    counted: &ToolRuns,
    ratio_cells: [String; 2],
) -> Vec<String> {
    let counts = counted.counts.unwrap_or_default();
    let time = tool.time();
    let number = |v: Option<f64>, f: &dyn Fn(f64) -> String| match (&tool.failure, v) {
        (Some(_), _) => "n/a".to_string(),
        (None, Some(v)) => f(v),
        (None, None) => "-".to_string(),
    };
    let rate = |amount: u64| {
        time.filter(|&t| t > 0.0 && amount > 0)
            .map(|t| amount as f64 / t)
    };
    let mut row = vec![
        task.to_string(),
        tool.label.clone(),
        fmt_count(counts.files),
        fmt_count(counts.lines),
        format!("{:.1}", counts.bytes as f64 / 1e6),
        number(time, &fmt_secs),
        number(tool.cpu_time(), &fmt_secs),
        number(rate(counts.bytes), &|r| format!("{:.1}", r / 1e6)),
        number(rate(counts.lines), &fmt_si),
        number(tool.peak_rss(), &fmt_mib),
    ];
    row.extend(ratio_cells);
    row
}

/// The notes and failures of the front-end tasks, as markdown.
pub fn frontend_notes(tasks: &[Task]) -> String {
    let mut out = String::new();
    for task in tasks {
        out.push_str(&format!("- **{}**: {}\n", task.name, task.note));
        for tool in task.go.iter().chain([&task.goclift]) {
            if let Some(f) = &tool.failure {
                out.push_str(&format!("- **{}**, {}:\n\n", task.name, tool.label));
                out.push_str(&fenced(f));
            }
        }
        out.push_str(&input_note(task));
    }
    out
}

/// Says whose counts goclift's row uses, and whether goclift's own account
/// of its input agrees with the yardstick's.
fn input_note(task: &Task) -> String {
    let Some(yardstick) = task.go.get(task.same_input_as) else {
        return String::new();
    };
    let (Some(theirs), true) = (yardstick.counts, task.goclift.failure.is_none()) else {
        return String::new();
    };
    match task.goclift.counts {
        Some(ours) if ours.files == theirs.files && ours.lines == theirs.lines => String::new(),
        Some(ours) => format!(
            "- **{}**: goclift reports {} files / {} lines, {} {} files / {} lines: the inputs differ.\n",
            task.name, ours.files, ours.lines, yardstick.label, theirs.files, theirs.lines
        ),
        None => format!(
            "- **{}**: goclift printed no `files=N lines=N bytes=N` summary, so its row assumes the input of \
             \"{}\" and that it did all of that work; nothing checks this.\n",
            task.name, yardstick.label
        ),
    }
}

/// Indents `text` as a fenced code block (empty text gives nothing).
fn fenced(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    format!(
        "  ```\n{}\n  ```\n\n",
        text.trim_end()
            .lines()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{Exit, Measurement};
    use crate::programs::{Failure, Program};
    use crate::toolchain::Build;
    use std::time::Duration;

    fn run(wall_ms: u64, rss_kib: u64) -> Measurement {
        Measurement {
            exit: Exit::Code(0),
            wall: Duration::from_millis(wall_ms),
            user: Duration::from_millis(wall_ms),
            sys: Duration::ZERO,
            max_rss_kib: rss_kib,
            rss_floor_kib: 300,
            stdout: vec![],
            stderr: vec![],
        }
    }

    fn side(binary: bool, runs: Vec<Measurement>, failure: Option<Failure>) -> Side {
        let build = Build {
            binary: binary.then(|| "/bin/x".into()),
            compile_time: Some(Duration::from_millis(500)),
            size: binary.then_some(2 << 20),
            failure: None,
        };
        Side {
            build,
            runs,
            failure,
            detail: "details here".into(),
        }
    }

    fn result(goclift: Side) -> ProgramResult {
        ProgramResult {
            program: Program {
                name: "nbody".into(),
                source: "/p/nbody.go".into(),
            },
            gc: side(
                true,
                vec![run(1000, 2048), run(1200, 2048), run(1100, 2048)],
                None,
            ),
            goclift,
        }
    }

    #[test]
    fn a_good_row_has_numbers_and_ratios() {
        let t = program_table(&[result(side(true, vec![run(2200, 1024)], None))]);
        assert_eq!(
            t.rows[0],
            [
                "nbody", "1.100 s", "2.200 s", "2.00x", "2.00 MiB", "1.00 MiB", "0.50x",
                "2.00 MiB", "2.00 MiB", "1.00x", "0.500 s", "0.500 s", "1.00x"
            ]
        );
    }

    #[test]
    fn failures_stand_instead_of_numbers() {
        let t = program_table(&[result(side(false, vec![], Some(Failure::BuildFailed)))]);
        assert_eq!(&t.rows[0][2..4], ["build failed", "-"]);
        assert_eq!(t.rows[0][5], "build failed");
        assert_eq!(t.rows[0][8], "build failed");
        assert_eq!(t.rows[0][11], "build failed");
        let t = program_table(&[result(side(true, vec![], Some(Failure::WrongOutput)))]);
        assert_eq!(&t.rows[0][2..4], ["wrong output", "-"]);
        assert_eq!(
            t.rows[0][8], "2.00 MiB",
            "a binary that runs wrongly still has a size"
        );
        let crashed = || result(side(true, vec![], Some(Failure::Crashed)));
        assert!(program_failures(&[crashed()]).contains("details here"));
        let mut other = crashed();
        other.program.name = "ring".into();
        let both = program_failures(&[crashed(), other]);
        assert!(
            both.starts_with("- **nbody, ring**, goclift: crashed"),
            "{both}"
        );
        assert_eq!(both.matches("details here").count(), 1);
    }

    #[test]
    fn rss_at_the_floor_is_marked_as_an_upper_bound() {
        let t = program_table(&[result(side(true, vec![run(1000, 300)], None))]);
        assert_eq!(t.rows[0][5], "≤0.29 MiB");
    }

    #[test]
    fn markdown_is_aligned_and_escaped() {
        let mut t = Table::new(&["a", "b"]);
        t.rows.push(vec!["x|y".into(), "1".into()]);
        assert_eq!(
            t.to_markdown(),
            "| a    |   b |\n| :--- | --: |\n| x\\|y |   1 |\n"
        );
    }

    #[test]
    fn frontend_rates_use_the_matching_yardsticks_counts() {
        let counts = crate::frontend::Counts {
            packages: None,
            files: 10,
            lines: 2_000_000,
            bytes: 50_000_000,
        };
        let go = ToolRuns {
            label: "go".into(),
            times: vec![1.0],
            cpu: vec![1.0],
            rss: vec![1e6],
            counts: Some(counts),
            failure: None,
        };
        let gl = ToolRuns {
            label: "gl".into(),
            times: vec![0.5],
            cpu: vec![0.5],
            rss: vec![1e6],
            counts: None,
            failure: None,
        };
        let task = Task {
            name: "parse",
            go: vec![go],
            goclift: gl,
            same_input_as: 0,
            note: String::new(),
        };
        let t = frontend_table(std::slice::from_ref(&task));
        assert_eq!(
            t.rows[0][7..],
            ["50.0", "2.00 M", "0.95 MiB", "0.50x", "0.50x"]
        );
        assert_eq!(t.rows[1][7..], ["100.0", "4.00 M", "0.95 MiB", "-", "-"]);
        assert!(
            frontend_notes(std::slice::from_ref(&task)).contains("printed no `files=N"),
            "unverified input is said so"
        );
        let mut told = task.clone();
        told.goclift.counts = Some(crate::frontend::Counts { files: 9, ..counts });
        assert!(frontend_notes(&[told]).contains("the inputs differ"));
        let mut same = task;
        same.goclift.counts = Some(counts);
        assert!(!frontend_notes(&[same]).contains("goclift"));
    }
}
