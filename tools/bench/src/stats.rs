//! Medians, ratios and the formatting of numbers in the tables.

use std::time::Duration;

/// The median of `values` (mean of the middle two for an even count), or
/// None for an empty slice.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    })
}

/// The median of durations, in seconds.
pub fn median_secs(values: impl IntoIterator<Item = Duration>) -> Option<f64> {
    let secs: Vec<f64> = values.into_iter().map(|d| d.as_secs_f64()).collect();
    median(&secs)
}

/// goclift / gc, when both are known and gc's is positive.
pub fn ratio(goclift: Option<f64>, gc: Option<f64>) -> Option<f64> {
    match (goclift, gc) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

/// "1.23x", or "-" when unknown.
pub fn fmt_ratio(r: Option<f64>) -> String {
    match r {
        Some(r) if r >= 100.0 => format!("{r:.0}x"),
        Some(r) if r >= 10.0 => format!("{r:.1}x"),
        Some(r) => format!("{r:.2}x"),
        None => "-".to_string(),
    }
}

/// Seconds with millisecond precision: "0.912 s".
pub fn fmt_secs(s: f64) -> String {
    format!("{s:.3} s")
}

/// A size in bytes as MiB with two decimals: "1.95 MiB".
pub fn fmt_mib(bytes: f64) -> String {
    format!("{:.2} MiB", bytes / (1024.0 * 1024.0))
}

/// A count with thousands separators: "1 991 746".
pub fn fmt_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A large quantity scaled with an SI prefix to stay short: "1.32 M", "41.5 k".
pub fn fmt_si(value: f64) -> String {
    if value >= 1e6 {
        format!("{:.2} M", value / 1e6)
    } else if value >= 1e3 {
        format!("{:.1} k", value / 1e3)
    } else {
        format!("{value:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[]), None);
        assert_eq!(
            median_secs([
                Duration::from_millis(500),
                Duration::from_secs(2),
                Duration::from_secs(1)
            ]),
            Some(1.0)
        );
    }

    #[test]
    fn ratio_needs_both_sides() {
        assert_eq!(ratio(Some(3.0), Some(2.0)), Some(1.5));
        assert_eq!(ratio(None, Some(2.0)), None);
        assert_eq!(ratio(Some(1.0), Some(0.0)), None);
        assert_eq!(fmt_ratio(Some(1.5)), "1.50x");
        assert_eq!(fmt_ratio(Some(12.34)), "12.3x");
        assert_eq!(fmt_ratio(Some(250.0)), "250x");
        assert_eq!(fmt_ratio(None), "-");
    }

    #[test]
    fn number_formats() {
        assert_eq!(fmt_secs(0.91249), "0.912 s");
        assert_eq!(fmt_mib(2.0 * 1024.0 * 1024.0), "2.00 MiB");
        assert_eq!(fmt_count(1991746), "1 991 746");
        assert_eq!(fmt_count(999), "999");
        assert_eq!(fmt_si(1_320_000.0), "1.32 M");
        assert_eq!(fmt_si(41_500.0), "41.5 k");
        assert_eq!(fmt_si(12.4), "12");
    }
}
