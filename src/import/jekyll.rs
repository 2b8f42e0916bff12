//! Jekyll sites (placeholder while the reader is written).
use std::path::Path;
use jiff::tz::TimeZone;
use super::Log;
use super::post::Archive;
pub fn read(_root: &Path, _tz: Option<&TimeZone>, _log: &mut Log) -> Result<Archive, String> {
    Err("not yet".into())
}
