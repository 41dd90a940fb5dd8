//! The lists of passing tests (one path relative to GOROOT/test per line, sorted), kept
//! in the repository so that a regression fails `make test`.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;

/// Reads a pass list; a missing file is an empty list. Blank lines and `#` comments
/// are ignored.
pub fn read(path: &Path) -> io::Result<Vec<String>> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// Writes `entries` sorted and deduplicated, one per line.
pub fn write(path: &Path, entries: &BTreeSet<String>) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let text: String = entries.iter().map(|e| format!("{e}\n")).collect();
    fs::write(path, text)
}

/// The new list after a run: entries of tests that were not part of the run are kept,
/// entries of tests that were are replaced by the ones that passed.
pub fn merged(old: &[String], ran: &[&str], passed: &[&str]) -> BTreeSet<String> {
    let ran: BTreeSet<&str> = ran.iter().copied().collect();
    old.iter()
        .filter(|rel| !ran.contains(rel.as_str()))
        .cloned()
        .chain(passed.iter().map(|rel| rel.to_string()))
        .collect()
}

/// Rewrites the list at `path` with the results of a run (see [`merged`]).
pub fn update(path: &Path, ran: &[&str], passed: &[&str]) -> io::Result<()> {
    write(path, &merged(&read(path)?, ran, passed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tempdir::TempDir;

    #[test]
    fn merge_keeps_unrun_entries() {
        let old = vec!["a.go".to_string(), "ken/b.go".to_string(), "x.go".to_string()];
        let got = merged(&old, &["a.go", "ken/b.go", "c.go"], &["c.go", "a.go"]);
        let want: Vec<&str> = vec!["a.go", "c.go", "x.go"];
        assert_eq!(got.iter().map(String::as_str).collect::<Vec<_>>(), want);
    }

    #[test]
    fn round_trip() {
        let temp = TempDir::new().unwrap();
        let path = temp.path().join("pass/linux_amd64.txt");
        assert_eq!(read(&path).unwrap(), Vec::<String>::new());
        update(&path, &["b.go", "a.go"], &["b.go", "a.go"]).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "a.go\nb.go\n");
        fs::write(&path, "# comment\n\na.go\n").unwrap();
        assert_eq!(read(&path).unwrap(), ["a.go"]);
        update(&path, &["a.go"], &[]).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "");
    }
}
