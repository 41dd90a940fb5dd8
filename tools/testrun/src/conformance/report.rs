//! What the conformance runner prints: result lines, the per-directory table, summaries,
//! regressions against the pass lists, the results file, and the `--list` statistics.

use super::catalog::{self, Class, Filter, TestFile};
use super::recipe::Action;
use super::{passlist, plan, FailKind, Options, Outcome, Verdict};
use crate::target::Arch;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Instant;

/// Prints one result line (and, for failures, the details when asked).
pub fn print_outcome(outcome: &Outcome, with_details: bool) {
    print!("{}", render_outcome(outcome, with_details));
}

/// `PASS rel [arch]`, `SKIP rel [arch]: reason` or `FAIL rel [arch]: summary` and
/// optionally the failure's details indented by four spaces.
pub fn render_outcome(outcome: &Outcome, with_details: bool) -> String {
    let (rel, arch) = (&outcome.rel, outcome.arch);
    match &outcome.verdict {
        Verdict::Pass => format!("PASS {rel} [{arch}]\n"),
        Verdict::Skip(reason) => format!("SKIP {rel} [{arch}]: {reason}\n"),
        Verdict::Fail { summary, details, .. } => {
            let mut text = format!("FAIL {rel} [{arch}]: {summary}\n");
            if with_details {
                text.push_str(&indent(details));
            }
            text
        }
    }
}

/// Indents every non-empty line by four spaces.
fn indent(details: &str) -> String {
    details.lines().filter(|l| !l.is_empty()).map(|l| format!("    {l}\n")).collect()
}

/// Counts of one directory on one target.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Executed tests (`run`, `errorcheck`) that apply to the target.
    pub run: usize,
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Skipped (unsupported flags, gc's expected failures).
    pub skipped: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.run += other.run;
        self.passed += other.passed;
        self.failed += other.failed;
        self.skipped += other.skipped;
    }
}

/// Directories in the order the files came (run.go's order).
fn dirs_in_order(files: &[TestFile]) -> Vec<&str> {
    let mut dirs: Vec<&str> = Vec::new();
    for file in files {
        if dirs.last() != Some(&file.dir.as_str()) && !dirs.contains(&file.dir.as_str()) {
            dirs.push(&file.dir);
        }
    }
    dirs
}

/// Counts per directory for `arch`.
pub fn count(files: &[TestFile], outcomes: &[Outcome], arch: Arch) -> BTreeMap<String, Counts> {
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    for file in files.iter().filter(|f| plan(f, arch).is_some()) {
        counts.entry(file.dir.clone()).or_default().run += 1;
    }
    for outcome in outcomes.iter().filter(|o| o.arch == arch) {
        let entry = counts.entry(outcome.dir.clone()).or_default();
        match outcome.verdict {
            Verdict::Pass => entry.passed += 1,
            Verdict::Fail { .. } => entry.failed += 1,
            Verdict::Skip(_) => entry.skipped += 1,
        }
    }
    counts
}

/// Renders the table of one target.
pub fn render_table(arch: Arch, dirs: &[&str], counts: &BTreeMap<String, Counts>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "linux/{arch}");
    let _ = writeln!(out, "{:<20} {:>9} {:>7} {:>7} {:>8}", "directory", "tests", "passed", "failed", "skipped");
    let mut total = Counts::default();
    for dir in dirs {
        let c = counts.get(*dir).copied().unwrap_or_default();
        total.add(c);
        let _ = writeln!(out, "{dir:<20} {:>9} {:>7} {:>7} {:>8}", c.run, c.passed, c.failed, c.skipped);
    }
    let t = total;
    let _ = writeln!(out, "{:<20} {:>9} {:>7} {:>7} {:>8}", "total", t.run, t.passed, t.failed, t.skipped);
    out
}

/// Prints the table of every target.
pub fn table(options: &Options, files: &[TestFile], outcomes: &[Outcome]) {
    let dirs = dirs_in_order(files);
    for &arch in &options.arches {
        println!();
        print!("{}", render_table(arch, &dirs, &count(files, outcomes, arch)));
    }
}

/// Prints, per target and action, how many of the executed tests passed (e.g.
/// `[amd64] errorcheck: 507 of 532 passed (95.3%)`), counting skipped tests out.
pub fn action_totals(options: &Options, files: &[TestFile], outcomes: &[Outcome]) {
    let by_rel: BTreeMap<&str, &TestFile> = files.iter().map(|f| (f.rel.as_str(), f)).collect();
    println!();
    for &arch in &options.arches {
        let mut totals: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
        for o in outcomes.iter().filter(|o| o.arch == arch && !matches!(o.verdict, Verdict::Skip(_))) {
            let Some(Class::Test(recipe)) = by_rel.get(o.rel.as_str()).map(|f| f.classify(arch)) else { continue };
            let t = totals.entry(recipe.action.name()).or_default();
            t.0 += usize::from(o.verdict == Verdict::Pass);
            t.1 += 1;
        }
        for (action, (passed, total)) in totals {
            let percent = 100.0 * passed as f64 / total.max(1) as f64;
            println!("[{arch}] {action}: {passed} of {total} passed ({percent:.1}%)");
        }
    }
}

/// Prints why tests were skipped and how they failed, grouped and counted.
pub fn summaries(outcomes: &[Outcome]) {
    let mut skips: BTreeMap<(Arch, &str), usize> = BTreeMap::new();
    let mut failures: BTreeMap<(Arch, FailKind), usize> = BTreeMap::new();
    for outcome in outcomes {
        match &outcome.verdict {
            Verdict::Skip(reason) => *skips.entry((outcome.arch, reason)).or_default() += 1,
            Verdict::Fail { kind, .. } => *failures.entry((outcome.arch, *kind)).or_default() += 1,
            Verdict::Pass => {}
        }
    }
    if !skips.is_empty() {
        println!("\nskipped:");
        for ((arch, reason), n) in skips {
            println!("  [{arch}] {n:>4}  {reason}");
        }
    }
    if !failures.is_empty() {
        println!("\nfailures by kind:");
        for ((arch, kind), n) in failures {
            println!("  [{arch}] {n:>4}  {}", kind.label());
        }
    }
}

/// Prints the tests of the pass list that were run now and did not pass.
pub fn regressions(options: &Options, arch: Arch, ran: &[&str], outcomes: &[Outcome]) -> Result<(), String> {
    let path = options.pass_list_path(arch);
    let listed = passlist::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let by_rel: BTreeMap<&str, &Outcome> =
        outcomes.iter().filter(|o| o.arch == arch).map(|o| (o.rel.as_str(), o)).collect();
    for rel in listed.iter().filter(|rel| ran.contains(&rel.as_str())) {
        match by_rel.get(rel.as_str()).map(|o| &o.verdict) {
            Some(Verdict::Pass) => {}
            Some(Verdict::Fail { summary, .. }) => println!("REGRESSION {rel} [{arch}]: {summary}"),
            Some(Verdict::Skip(reason)) => println!("REGRESSION {rel} [{arch}]: skipped: {reason}"),
            None => println!("REGRESSION {rel} [{arch}]: no longer a run test"),
        }
    }
    Ok(())
}

/// Writes every result to the results file in the format of `-v`, with the details of
/// failures indented under them (so `grep ^FAIL` lists the failures).
pub fn write_results(options: &Options, outcomes: &[Outcome]) -> Result<(), String> {
    let Some(path) = &options.results_file else { return Ok(()) };
    let text: String = outcomes.iter().map(|o| render_outcome(o, true)).collect();
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Prints the plain closing line `N passed, N failed`.
pub fn closing_line(outcomes: &[Outcome]) {
    let passed = outcomes.iter().filter(|o| o.verdict == Verdict::Pass).count();
    let failed = outcomes.iter().filter(|o| matches!(o.verdict, Verdict::Fail { .. })).count();
    println!("{passed} passed, {failed} failed");
}

/// Statistics of one directory for `--list`.
#[derive(Debug, Default, Clone, Copy)]
struct ListCounts {
    files: usize,
    run: usize,
    run_no_imports: usize,
    run_skipped: usize,
    other: usize,
    excluded: usize,
    invalid: usize,
}

/// `--list`: lists and classifies the tree without running anything, with timings.
pub fn list(options: &Options, filters: &[Filter]) -> Result<i32, String> {
    let test_root = options.test_root();
    let start = Instant::now();
    let files = catalog::catalog(&test_root, filters).map_err(|e| format!("{}: {e}", test_root.display()))?;
    let loaded = start.elapsed();
    let start = Instant::now();
    let mut tables = Vec::new();
    for &arch in &options.arches {
        tables.push((arch, list_counts(&files, arch), action_histogram(&files, arch)));
    }
    let classified = start.elapsed();
    if options.verbose {
        for file in &files {
            println!("{}", describe_file(file, &options.arches));
        }
    }
    let dirs = dirs_in_order(&files);
    for (arch, counts, histogram) in &tables {
        println!("\nlinux/{arch}");
        print!("{}", render_list_table(&dirs, counts));
        let actions: Vec<String> = histogram.iter().map(|(a, n)| format!("{a} {n}")).collect();
        println!("actions: {}", actions.join(", "));
    }
    println!(
        "\nread and parsed {} files in {:.1} ms; classified for {} target(s) in {:.1} ms",
        files.len(),
        loaded.as_secs_f64() * 1e3,
        options.arches.len(),
        classified.as_secs_f64() * 1e3
    );
    Ok(0)
}

fn list_counts(files: &[TestFile], arch: Arch) -> BTreeMap<String, ListCounts> {
    let mut counts: BTreeMap<String, ListCounts> = BTreeMap::new();
    for file in files {
        let c = counts.entry(file.dir.clone()).or_default();
        c.files += 1;
        match (file.classify(arch), plan(file, arch)) {
            (_, Some(result)) => {
                c.run += 1;
                c.run_no_imports += usize::from(file.imports.is_empty());
                c.run_skipped += usize::from(result.is_err());
            }
            (Class::Excluded(_), None) => c.excluded += 1,
            (Class::Invalid(_), None) => c.invalid += 1,
            (Class::Test(_), None) => c.other += 1,
        }
    }
    counts
}

fn action_histogram(files: &[TestFile], arch: Arch) -> BTreeMap<&'static str, usize> {
    let mut histogram = BTreeMap::new();
    for file in files {
        if let Class::Test(recipe) = file.classify(arch) {
            *histogram.entry(recipe.action.name()).or_default() += 1;
        }
    }
    histogram
}

fn render_list_table(dirs: &[&str], counts: &BTreeMap<String, ListCounts>) -> String {
    let mut out = String::new();
    let header = ["files", "run", "run:no-imports", "run:skipped", "other-action", "excluded", "invalid"];
    let _ = write!(out, "{:<20}", "directory");
    for h in header {
        let _ = write!(out, " {h:>14}");
    }
    out.push('\n');
    let mut total = ListCounts::default();
    let mut rows: Vec<(&str, ListCounts)> =
        dirs.iter().map(|d| (*d, counts.get(*d).copied().unwrap_or_default())).collect();
    for (_, c) in &rows {
        total.files += c.files;
        total.run += c.run;
        total.run_no_imports += c.run_no_imports;
        total.run_skipped += c.run_skipped;
        total.other += c.other;
        total.excluded += c.excluded;
        total.invalid += c.invalid;
    }
    rows.push(("total", total));
    for (dir, c) in rows {
        let _ = write!(out, "{dir:<20}");
        for n in [c.files, c.run, c.run_no_imports, c.run_skipped, c.other, c.excluded, c.invalid] {
            let _ = write!(out, " {n:>14}");
        }
        out.push('\n');
    }
    out
}

/// One line per file for `--list -v`: path, then per target what it is.
fn describe_file(file: &TestFile, arches: &[Arch]) -> String {
    let mut line = file.rel.clone();
    for &arch in arches {
        let what = match (file.classify(arch), plan(file, arch)) {
            (_, Some(Err(reason))) => format!("run(skipped: {reason})"),
            (Class::Test(recipe), _) if recipe.action == Action::Run => {
                let mut s = "run".to_string();
                for word in recipe.flags.iter().chain(&recipe.args) {
                    s.push(' ');
                    s.push_str(word);
                }
                s
            }
            (Class::Test(recipe), _) => recipe.action.name().to_string(),
            (Class::Excluded(line), _) => format!("excluded({line})"),
            (Class::Invalid(e), _) => format!("invalid({e})"),
        };
        let _ = write!(line, "\t{arch}: {what}");
    }
    let _ = write!(line, "\timports: {}", file.imports.join(","));
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_lines() {
        let fail = Verdict::Fail { kind: FailKind::Output, summary: "output differs".into(), details: "-a\n+b\n".into() };
        let o = Outcome { arch: Arch::Arm64, rel: "ken/chan.go".into(), dir: "ken".into(), verdict: fail };
        assert_eq!(render_outcome(&o, true), "FAIL ken/chan.go [arm64]: output differs\n    -a\n    +b\n");
        assert_eq!(render_outcome(&o, false), "FAIL ken/chan.go [arm64]: output differs\n");
        let o = Outcome { verdict: Verdict::Skip("why".into()), ..o };
        assert_eq!(render_outcome(&o, true), "SKIP ken/chan.go [arm64]: why\n");
    }

    #[test]
    fn table_layout() {
        let mut counts = BTreeMap::new();
        counts.insert("ken".to_string(), Counts { run: 40, passed: 30, failed: 9, skipped: 1 });
        counts.insert(".".to_string(), Counts { run: 2, passed: 1, failed: 1, skipped: 0 });
        let got = render_table(Arch::Amd64, &[".", "ken"], &counts);
        let want = "\
linux/amd64
directory                tests  passed  failed  skipped
.                            2       1       1        0
ken                         40      30       9        1
total                       42      31      10        1
";
        assert_eq!(got, want);
    }

    #[test]
    fn counting() {
        let root = std::path::PathBuf::from(std::env::var("GOROOT").unwrap_or_else(|_| "/usr/lib/go-1.19".into()))
            .join("test");
        let files = catalog::catalog(&root, &[Filter::Dir("ken".into())]).unwrap();
        let outcome = |rel: &str, verdict| Outcome { arch: Arch::Amd64, rel: rel.into(), dir: "ken".into(), verdict };
        let outcomes = vec![
            outcome("ken/array.go", Verdict::Pass),
            outcome("ken/chan.go", Verdict::Skip("x".into())),
            outcome(
                "ken/chan1.go",
                Verdict::Fail { kind: FailKind::Build, summary: String::new(), details: String::new() },
            ),
        ];
        let counts = count(&files, &outcomes, Arch::Amd64);
        assert_eq!(counts["ken"], Counts { run: 40, passed: 1, failed: 1, skipped: 1 });
        assert_eq!(dirs_in_order(&files), ["ken"]);
    }
}
