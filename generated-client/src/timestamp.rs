//! [`Timestamp`]: the type of every `format: date-time` field.

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A date and time as the API wrote it: an RFC 3339 string such as
/// `2026-02-14T09:00:00.000Z` (`format: date-time` in the spec).
///
/// The client keeps the text instead of parsing it into a calendar type,
/// for three reasons:
///
/// - a reply is never refused for its timestamps: a server that writes a
///   date-time in an unexpected form still gives you the pack, and the
///   text to look at, as for any other string the API returns;
/// - the value round-trips exactly (`…:00.000Z` stays `…:00.000Z`);
/// - you choose the time crate, and a build that does not need one does
///   not compile one (a calendar library is a measurable share of a cold
///   build of this crate, `BENCHMARKS.md`).
///
/// Read it with [`Timestamp::as_str`] or `Display`, or turn on the
/// `chrono` feature for `Timestamp::to_chrono` and
/// `From<chrono::DateTime<Tz>>`. Any other crate parses the text itself:
///
/// ```
/// use genviral_partner::Timestamp;
///
/// let created: Timestamp = serde_json::from_str(r#""2026-02-14T09:00:00.000Z""#).unwrap();
/// assert_eq!(created.as_str(), "2026-02-14T09:00:00.000Z");
/// assert_eq!(created.to_string(), "2026-02-14T09:00:00.000Z");
/// assert_eq!(serde_json::to_string(&created).unwrap(), r#""2026-02-14T09:00:00.000Z""#);
/// ```
///
/// Equality compares the text: the same instant written two ways (`Z` and
/// `+00:00`) is two different values; compare parsed values for instants.
/// Building one ([`Timestamp::new`], `From<&str>`, `FromStr`) does not
/// check the text either, like every string the server returns.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(String);

impl Timestamp {
    /// A timestamp holding `text` as it is.
    pub fn new(text: impl Into<String>) -> Self {
        Timestamp(text.into())
    }

    /// The text as the server sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as the server sent it, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Timestamp {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Timestamp::new(text))
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp::new(text)
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp(text)
    }
}

impl AsRef<str> for Timestamp {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(feature = "chrono")]
impl Timestamp {
    /// The instant in UTC, parsed as RFC 3339 (feature `chrono`).
    ///
    /// ```
    /// # use genviral_partner::Timestamp;
    /// let created = Timestamp::new("2026-02-14T10:00:00+01:00");
    /// let utc = created.to_chrono().unwrap();
    /// assert_eq!(utc.to_rfc3339(), "2026-02-14T09:00:00+00:00");
    /// assert!(Timestamp::new("yesterday").to_chrono().is_err());
    /// ```
    pub fn to_chrono(&self) -> Result<chrono::DateTime<chrono::Utc>, chrono::ParseError> {
        chrono::DateTime::parse_from_rfc3339(&self.0).map(|time| time.with_timezone(&chrono::Utc))
    }
}

/// RFC 3339 with as many fractional digits as the value has and `Z` for
/// UTC (feature `chrono`).
#[cfg(feature = "chrono")]
impl<Tz> From<chrono::DateTime<Tz>> for Timestamp
where
    Tz: chrono::TimeZone,
    Tz::Offset: fmt::Display,
{
    fn from(time: chrono::DateTime<Tz>) -> Self {
        Timestamp(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_keeps_any_text_and_encoding_writes_it_back() {
        for text in ["2026-02-14T09:00:00.000Z", "2026-02-14 09:00", ""] {
            let json = serde_json::to_string(text).unwrap();
            let value: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(value.as_str(), text);
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
        }
        assert!(serde_json::from_str::<Timestamp>("17").is_err());
    }

    #[test]
    fn debug_and_display_show_the_text() {
        let value = Timestamp::from("2026-02-14T09:00:00Z");
        assert_eq!(format!("{value:?}"), r#""2026-02-14T09:00:00Z""#);
        assert_eq!(value.to_string(), "2026-02-14T09:00:00Z");
        assert_eq!("2026-02-14T09:00:00Z".parse::<Timestamp>(), Ok(value));
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_values_convert_both_ways() {
        use chrono::TimeZone;

        let time = chrono::Utc.with_ymd_and_hms(2026, 2, 14, 9, 0, 0).unwrap();
        let value = Timestamp::from(time);
        assert_eq!(value.as_str(), "2026-02-14T09:00:00Z");
        assert_eq!(value.to_chrono(), Ok(time));
        let offset = chrono::FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            Timestamp::from(time.with_timezone(&offset)).as_str(),
            "2026-02-14T10:00:00+01:00"
        );
    }
}
