//! The site time zone decides calendar placement and datelines, whatever
//! offset the front matter was written in.

use crate::harness::build;

#[test]
fn placement_and_datelines_use_the_site_zone() {
    let built = build("timezone");
    built.assert_ok();
    // 22:30 at -04:00 is already January 1 in UTC: the page stays on Dec 31.
    let eve = built.read("2023/12/31/new-years-eve-fireworks/index.html");
    assert!(eve.contains(r#"<time datetime="2023-12-31T22:30:00-04:00">December 31, 2023</time>"#));
    // 02:00 UTC on March 1 is 22:00 on February 29 in Halifax (leap day).
    let utc = built.read("2024/02/29/written-in-utc/index.html");
    assert!(utc.contains(r#"<time datetime="2024-02-29T22:00:00-04:00">February 29, 2024</time>"#));
    // No offset: local time, in summer time.
    let local = built.read("2024/07/01/local-time-without-offset/index.html");
    assert!(local.contains(r#"datetime="2024-07-01T09:15:00-03:00""#));
    // A date alone is midnight there (still summer time on Nov 3, 00:00).
    let day = built.read("2024/11/03/date-only/index.html");
    assert!(day.contains(r#"datetime="2024-11-03T00:00:00-03:00""#));
}
