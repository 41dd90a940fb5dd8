//! Which go-command flags of a `run` recipe goclift can honour. run.go hands them to
//! `go run`; goclift has no such options, so each flag is either harmless (the test's
//! expected output does not depend on it, and we run the test without it) or makes
//! the test "skipped" with the reason.
//!
//! Harmless:
//! - `-gcflags` with `-l`, `-l=N` or `-N`: inlining and optimisation levels; a correct
//!   program prints the same either way (the tests using them check behaviour that
//!   must hold with and without inlining, e.g. runtime.Caller line numbers).
//! - `-gcflags` with `-d=checkptr`, `-d=checkptr=N`: extra unsafe.Pointer checks; the
//!   tests that use it expect no checkptr report.
//! - `-gcflags` with `-d=ssa/check/on`: gc's internal SSA consistency checks.
//! - `-gcflags` with `-d=softfloat`: software floating point gives the same IEEE results.
//! - `-goexperiment` naming an experiment that gc 1.19 enables by default on
//!   amd64/arm64 (regabiwrappers, regabiargs).
//!
//! Not honoured (skip): `-race`, any other `-d=` debug setting (e.g. `maymorestack`,
//! which the test relies on), other experiments (`fieldtrack`), and any flag not
//! listed above.

/// Checks an errorcheck recipe's compiler flags: goclift runs the tests whose flags are
/// only `-d=panic` (gc's "no error limit on syntax errors", which `goclift check -e`
/// already gives) and `-lang=go1.N` (passed on). Returns the `-lang` value, or Err naming
/// the first other flag.
pub fn check_errorcheck_flags(flags: &[String]) -> Result<Option<String>, String> {
    let mut lang = None;
    for flag in flags {
        match flag.split_once('=') {
            Some(("-d", "panic")) => {}
            Some(("-lang", version)) if is_go_version(version) => lang = Some(version.to_string()),
            _ => return Err(format!("unsupported compiler flag {flag}")),
        }
    }
    Ok(lang)
}

/// Whether an errorcheck recipe checks escape analysis: its flags are `-m` with `-l` (no
/// inlining, which goclift does not do, so no "can inline" lines are expected) and
/// optionally `-N`; goclift runs those tests with `goclift build -m`.
pub fn is_escape_check(flags: &[String]) -> bool {
    let has = |f: &str| flags.iter().any(|x| x == f);
    has("-m") && has("-l") && flags.iter().all(|f| matches!(f.as_str(), "-m" | "-l" | "-N"))
}

/// `go1.N`.
fn is_go_version(v: &str) -> bool {
    v.strip_prefix("go1.").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks a run recipe's flags and experiments; Err names the first one goclift cannot
/// honour.
pub fn check_run_flags(flags: &[String], goexperiments: &[String]) -> Result<(), String> {
    let mut flags = flags.iter();
    while let Some(flag) = flags.next() {
        // The go command accepts --gcflags for -gcflags.
        let flag = if flag.starts_with("--") { &flag[1..] } else { flag.as_str() };
        match flag.split_once('=') {
            Some(("-gcflags", value)) => check_gcflags(value)?,
            None if flag == "-gcflags" => {
                let value = flags.next().ok_or("-gcflags without a value")?;
                check_gcflags(value)?;
            }
            _ => return Err(format!("unsupported go command flag {flag}")),
        }
    }
    for experiment in goexperiments {
        if !matches!(experiment.as_str(), "regabiwrappers" | "regabiargs") {
            return Err(format!("unsupported -goexperiment {experiment}"));
        }
    }
    Ok(())
}

/// A `-gcflags` value: `[pattern=]flag flag ...`.
fn check_gcflags(value: &str) -> Result<(), String> {
    let value = match value.split_once('=') {
        Some((pattern, rest)) if !pattern.starts_with('-') => rest,
        _ => value,
    };
    value.split_whitespace().try_for_each(check_compiler_flag)
}

fn check_compiler_flag(flag: &str) -> Result<(), String> {
    let harmless = match flag.split_once('=') {
        None => matches!(flag, "-l" | "-N"),
        Some(("-l", level)) => level.parse::<u32>().is_ok(),
        Some(("-d", settings)) => settings.split(',').all(harmless_debug_setting),
        Some(_) => false,
    };
    if harmless {
        Ok(())
    } else {
        Err(format!("unsupported compiler flag {flag}"))
    }
}

fn harmless_debug_setting(setting: &str) -> bool {
    matches!(setting, "checkptr" | "ssa/check/on" | "softfloat")
        || setting.strip_prefix("checkptr=").is_some_and(|n| n.parse::<u32>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(flags: &[&str]) -> Result<(), String> {
        let flags: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
        check_run_flags(&flags, &[])
    }

    #[test]
    fn harmless_flags() {
        assert_eq!(check(&[]), Ok(()));
        assert_eq!(check(&["-gcflags", "-l=4"]), Ok(()));
        assert_eq!(check(&["-gcflags=-l=4"]), Ok(()));
        assert_eq!(check(&["-gcflags=-l"]), Ok(()));
        assert_eq!(check(&["-gcflags=-d=checkptr"]), Ok(()));
        assert_eq!(check(&["-gcflags=all=-d=checkptr"]), Ok(()));
        assert_eq!(check(&["-gcflags=-d=ssa/check/on"]), Ok(()));
        assert_eq!(check(&["--gcflags=-d=softfloat"]), Ok(()));
        assert_eq!(check(&["-gcflags=-N -l"]), Ok(()));
        assert_eq!(check_run_flags(&[], &["regabiargs".into()]), Ok(()));
    }

    #[test]
    fn errorcheck_flags() {
        let flags = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(check_errorcheck_flags(&[]), Ok(None));
        assert_eq!(check_errorcheck_flags(&flags(&["-d=panic"])), Ok(None));
        assert_eq!(check_errorcheck_flags(&flags(&["-lang=go1.17", "-d=panic"])), Ok(Some("go1.17".into())));
        assert!(check_errorcheck_flags(&flags(&["-m"])).is_err());
        assert!(is_escape_check(&flags(&["-m", "-l"])) && is_escape_check(&flags(&["-N", "-m", "-l"])));
        assert!(!is_escape_check(&flags(&["-m"])) && !is_escape_check(&flags(&["-m", "-l", "-d=ssa/check/on"])));
        assert!(check_errorcheck_flags(&flags(&["-lang=go2"])).is_err());
        assert!(check_errorcheck_flags(&flags(&["-d=panic,ssa/check/on"])).is_err());
    }

    #[test]
    fn unsupported_flags() {
        assert_eq!(check(&["-race"]), Err("unsupported go command flag -race".into()));
        assert!(check(&["-race", "-gcflags=all=-d=checkptr=0"]).is_err());
        assert_eq!(
            check(&["-gcflags=-d=maymorestack=main.mayMoreStack"]),
            Err("unsupported compiler flag -d=maymorestack=main.mayMoreStack".into())
        );
        assert!(check(&["-gcflags"]).is_err());
        assert!(check(&["-gcflags=-m"]).is_err());
        assert!(check(&["-ldflags=-X main.x=1"]).is_err());
        assert!(check_run_flags(&[], &["fieldtrack".into()]).is_err());
    }
}
