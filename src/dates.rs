//! How dates are written: RFC 3339 for machines (sitemaps, feeds,
//! `<time datetime>`), labels for readers (datelines, day and month pages,
//! search results). Dates are in the site time zone already.

use jiff::ZonedDateTime;
use jiff::civil::Date;

/// W3C / RFC 3339 date-time: `2022-01-27T10:00:00+04:00`.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// "January 27, 2022": how a calendar day is shown to readers.
pub fn day_label(date: Date) -> String {
    date.strftime("%B %-d, %Y").to_string()
}

/// "January 2022": how a month is shown to readers.
pub fn month_label(date: Date) -> String {
    date.strftime("%B %Y").to_string()
}
