//! How dates are written: RFC 3339 for machines (sitemaps, feeds,
//! `<time datetime>`), labels for readers (datelines, day and month pages,
//! search results). Dates are in the site time zone already.
//!
//! Written directly rather than through `strftime`, which parses its
//! format on every call: a build writes a few of these for every page.
//! The tests check that both agree.

use std::fmt::Write;

use jiff::ZonedDateTime;
use jiff::civil::Date;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "January": the English name of month `m` (1-12).
pub fn month_name(m: i8) -> &'static str {
    MONTHS[usize::try_from(m - 1).unwrap_or(0).min(11)]
}

/// W3C / RFC 3339 date-time: `2022-01-27T10:00:00+04:00`. An offset of
/// the old local mean times, with seconds (`+05:53:28` in Kolkata before
/// 1854), has no RFC 3339 form: the instant is then written in UTC.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    if z.offset().seconds() % 60 != 0 {
        return rfc3339(&z.with_time_zone(jiff::tz::TimeZone::UTC));
    }
    if !(0..=9999).contains(&z.year()) {
        return z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
    }
    let offset = z.offset().seconds();
    let sign = if offset < 0 { '-' } else { '+' };
    let offset = offset.unsigned_abs();
    let mut out = String::with_capacity(25);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        z.year(),
        z.month(),
        z.day(),
        z.hour(),
        z.minute(),
        z.second(),
        offset / 3600,
        offset / 60 % 60
    );
    out
}

/// "January 27, 2022": how a calendar day is shown to readers.
pub fn day_label(date: Date) -> String {
    format!(
        "{} {}, {}",
        month_name(date.month()),
        date.day(),
        date.year()
    )
}

/// "January 2022": how a month is shown to readers.
pub fn month_label(date: Date) -> String {
    format!("{} {}", month_name(date.month()), date.year())
}

/// "15:18": the time of day.
pub fn time_label(z: &ZonedDateTime) -> String {
    format!("{:02}:{:02}", z.hour(), z.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_strftime_writes_them() {
        let zones = ["UTC", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"];
        for zone in zones {
            let tz = jiff::tz::TimeZone::get(zone).unwrap();
            for second in (-4_000_000_000i64..4_000_000_000).step_by(9_876_543) {
                let z = jiff::Timestamp::from_second(second)
                    .unwrap()
                    .to_zoned_datetime(tz.clone());
                let machine = match z.offset().seconds() % 60 {
                    0 => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                    _ => z
                        .timestamp()
                        .strftime("%Y-%m-%dT%H:%M:%S+00:00")
                        .to_string(),
                };
                assert_eq!(rfc3339(&z), machine);
                assert_eq!(day_label(z.date()), z.strftime("%B %-d, %Y").to_string());
                assert_eq!(month_label(z.date()), z.strftime("%B %Y").to_string());
                assert_eq!(time_label(&z), z.strftime("%H:%M").to_string());
            }
        }
    }
}
