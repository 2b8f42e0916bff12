//! Dates as front matter writes them: RFC 3339, local date-times and
//! dates, and the forms Jekyll and Hugo archives hold.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// RFC 3339, a date-time without offset (local to `tz`), or a date
/// (midnight in `tz`).
pub fn parse_date(text: &str, tz: &TimeZone) -> Result<ZonedDateTime, String> {
    // The other generators' forms are worked out only when needed.
    if let Some(found) = date_time(text, tz) {
        return found;
    }
    if let Some(found) = normalize_date(text).and_then(|n| date_time(&n, tz)) {
        return found;
    }
    if let Ok(d) = text.parse::<Date>() {
        return d.to_zoned_datetime(tz.clone()).map_err(|e| e.to_string());
    }
    Err(format!(
        "`{text}` is not a date; use RFC 3339 (2022-01-27T10:00:00+04:00), a local date-time (2022-01-27T10:00:00) or a date (2022-01-27)"
    ))
}

/// `text` as an instant (RFC 3339) or a local date-time, if it is one.
fn date_time(text: &str, tz: &TimeZone) -> Option<Result<ZonedDateTime, String>> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(Ok(ts.to_zoned_datetime(tz.clone())));
    }
    let dt = text.parse::<DateTime>().ok()?;
    Some(dt.to_zoned_datetime(tz.clone()).map_err(|e| e.to_string()))
}

/// A date-time as Jekyll and Hugo write them, in RFC 3339 (or as a local
/// date-time when it has no offset): a space before the time or the offset,
/// offsets as `+0200`, `-0400` or `-4`, one-digit hours.
/// `2011-11-28 8:32:24 -0400` -> `2011-11-28T08:32:24-04:00`.
fn normalize_date(text: &str) -> Option<String> {
    let text = text.trim();
    let (date, rest) = text.split_at_checked(10)?;
    let rest = rest.strip_prefix([' ', 'T', 't'])?.trim_start();
    let end = rest.find([' ', '+', '-', 'Z', 'z']).unwrap_or(rest.len());
    let (time, offset) = rest.split_at(end);
    let time = match time.find(':') {
        Some(1) => format!("0{time}"),
        _ => time.to_string(),
    };
    let offset = match offset.trim() {
        "" => String::new(),
        "Z" | "z" | "UTC" | "GMT" => "Z".to_string(),
        o => {
            let (sign, digits) = o.split_at_checked(1)?;
            let digits = digits.replace(':', "");
            if !matches!(sign, "+" | "-") || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let (h, m) = match digits.len() {
                1 | 2 => (digits.as_str(), "00"),
                3 => digits.split_at(1),
                4 => digits.split_at(2),
                _ => return None,
            };
            format!("{sign}{h:0>2}:{m}")
        }
    };
    Some(format!("{date}T{time}{offset}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_all_three_forms() {
        let tz = TimeZone::get("America/Halifax").unwrap();
        let z = parse_date("2023-12-31T22:30:00-04:00", &tz).unwrap();
        assert_eq!(z.timestamp().to_string(), "2024-01-01T02:30:00Z");
        assert_eq!(z.date().to_string(), "2023-12-31");
        let z = parse_date("2023-07-01T09:00:00", &tz).unwrap();
        assert_eq!(z.timestamp().to_string(), "2023-07-01T12:00:00Z");
        let z = parse_date("2023-07-01", &tz).unwrap();
        assert_eq!(z.timestamp().to_string(), "2023-07-01T03:00:00Z");
        assert!(parse_date("yesterday", &tz).is_err());
    }

    #[test]
    fn dates_as_jekyll_and_hugo_write_them() {
        let utc = |text: &str| {
            parse_date(text, &TimeZone::UTC)
                .map(|z| z.timestamp().to_string())
                .unwrap_or_else(|e| e)
        };
        assert_eq!(utc("2019-05-03 10:00:00 +0200"), "2019-05-03T08:00:00Z");
        assert_eq!(utc("2015-03-17 10:00:00 -4"), "2015-03-17T14:00:00Z");
        assert_eq!(utc("2011-11-28 8:32:24 -0400"), "2011-11-28T12:32:24Z");
        assert_eq!(utc("2011-11-28 08:32:24-04:00"), "2011-11-28T12:32:24Z");
        assert_eq!(utc("2011-11-28T08:32:24+0530"), "2011-11-28T03:02:24Z");
        assert_eq!(utc("2020-02-02 10:00"), "2020-02-02T10:00:00Z");
        assert_eq!(utc("2020-02-02 10:00:00 UTC"), "2020-02-02T10:00:00Z");
        assert!(parse_date("2020-02-02 10:00:00 +02000", &TimeZone::UTC).is_err());
        assert!(parse_date("2020-02-02 noon", &TimeZone::UTC).is_err());
    }
}
