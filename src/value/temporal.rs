//! The temporal values of Cypher — DATE, LOCAL TIME, ZONED TIME, LOCAL DATETIME and ZONED
//! DATETIME — and their two text forms.
//!
//! It owns the types (calendar parts from `jiff::civil`, offsets as `jiff::tz::Offset`, a
//! zone kept by name so a value prints and round-trips exactly as it came) and their text:
//! `Display` is java.time's `toString`, which cypher-shell prints (`12:00`, seconds only
//! when not zero, fractions in groups of three digits), and `iso()` is the ISO form with
//! seconds always and the shortest fraction, which the Query API's JSON and cypher-shell's
//! `:params` listing use. Parsing Neo4j's many input forms lives in `parse.rs`; temporal
//! arithmetic and the Cypher functions live in the evaluator.

use jiff::civil;
use jiff::tz::{Offset, TimeZone};
use std::fmt::{self, Write};

/// A time of day with a UTC offset (Cypher's ZONED TIME).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZonedTime {
    /// The local time.
    pub time: civil::Time,
    /// Its offset from UTC.
    pub offset: Offset,
}

/// A date and time with an offset and, when it was given one, a named zone (Cypher's
/// ZONED DATETIME). The offset is the one in force at that instant in the zone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ZonedDateTime {
    /// The local date and time.
    pub local: civil::DateTime,
    /// Its offset from UTC.
    pub offset: Offset,
    /// The IANA zone name (`Europe/Stockholm`), or `None` for a plain offset.
    pub zone: Option<String>,
}

/// Why a zoned value cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZoneError {
    /// A zone name the time-zone database does not know.
    #[error("Invalid value for TimeZone: Text '{0}' could not be parsed at index 0")]
    UnknownZone(String),
    /// A result outside the supported range of years (-9999 to 9999).
    #[error("Invalid value for Year (valid values -9999 - 9999)")]
    OutOfRange,
}

impl ZonedDateTime {
    /// The instant this value denotes.
    pub fn timestamp(&self) -> Result<jiff::Timestamp, ZoneError> {
        self.offset
            .to_timestamp(self.local)
            .map_err(|_| ZoneError::OutOfRange)
    }

    /// The value at `ts` in `zone` (a name, or `None` for the fixed `offset`).
    pub fn at(
        ts: jiff::Timestamp,
        zone: Option<&str>,
        offset: Offset,
    ) -> Result<ZonedDateTime, ZoneError> {
        match zone {
            None => Ok(ZonedDateTime {
                local: offset.to_datetime(ts),
                offset,
                zone: None,
            }),
            Some(name) => {
                let tz = time_zone(name)?;
                let offset = tz.to_offset(ts);
                Ok(ZonedDateTime {
                    local: offset.to_datetime(ts),
                    offset,
                    zone: Some(name.to_string()),
                })
            }
        }
    }

    /// The value of local date-time `local` in zone `zone` (a name) or at fixed `offset`;
    /// a local time in a gap or overlap takes the earlier offset, as java.time does.
    pub fn of_local(
        local: civil::DateTime,
        zone: Option<&str>,
        offset: Offset,
    ) -> Result<ZonedDateTime, ZoneError> {
        match zone {
            None => Ok(ZonedDateTime {
                local,
                offset,
                zone: None,
            }),
            Some(name) => {
                let tz = time_zone(name)?;
                let zoned = tz
                    .to_ambiguous_zoned(local)
                    .compatible()
                    .map_err(|_| ZoneError::OutOfRange)?;
                Ok(ZonedDateTime {
                    local: zoned.datetime(),
                    offset: zoned.offset(),
                    zone: Some(name.to_string()),
                })
            }
        }
    }

    /// The ISO form with seconds always: `2015-07-21T21:40:32.142+01:00[Europe/London]`.
    pub fn iso(&self) -> String {
        let mut s = String::new();
        write_date(&mut s, self.local.date());
        s.push('T');
        write_time(&mut s, self.local.time(), true);
        write_offset(&mut s, self.offset);
        if let Some(z) = &self.zone {
            let _ = write!(s, "[{z}]");
        }
        s
    }
}

/// The zone named `name` (an IANA name such as `Europe/Stockholm`, or `UTC`).
pub fn time_zone(name: &str) -> Result<TimeZone, ZoneError> {
    TimeZone::get(name).map_err(|_| ZoneError::UnknownZone(name.to_string()))
}

impl ZonedTime {
    /// The ISO form with seconds always: `12:50:35.556+01:00`.
    pub fn iso(&self) -> String {
        let mut s = String::new();
        write_time(&mut s, self.time, true);
        write_offset(&mut s, self.offset);
        s
    }
}

impl fmt::Display for ZonedTime {
    /// java.time's `OffsetTime.toString`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        write_time(&mut s, self.time, false);
        write_offset(&mut s, self.offset);
        f.write_str(&s)
    }
}

impl fmt::Display for ZonedDateTime {
    /// java.time's `ZonedDateTime.toString`: the zone name in brackets after the offset.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        write_date(&mut s, self.local.date());
        s.push('T');
        write_time(&mut s, self.local.time(), false);
        write_offset(&mut s, self.offset);
        if let Some(z) = &self.zone {
            let _ = write!(s, "[{z}]");
        }
        f.write_str(&s)
    }
}

/// `LocalDate.toString`: `2015-07-21`, years below 1000 padded to four digits.
pub fn date_text(d: civil::Date) -> String {
    let mut s = String::new();
    write_date(&mut s, d);
    s
}

/// `LocalTime.toString` (`iso == false`: `12:00`, `12:00:01.500`) or the ISO form
/// (`12:00:00`, `12:00:01.5`).
pub fn time_text(t: civil::Time, iso: bool) -> String {
    let mut s = String::new();
    write_time(&mut s, t, iso);
    s
}

/// `LocalDateTime.toString` or its ISO form.
pub fn datetime_text(dt: civil::DateTime, iso: bool) -> String {
    let mut s = String::new();
    write_date(&mut s, dt.date());
    s.push('T');
    write_time(&mut s, dt.time(), iso);
    s
}

/// `ZoneOffset.toString`: `Z`, `+01:00`, `-05:30:15`.
pub fn offset_text(o: Offset) -> String {
    let mut s = String::new();
    write_offset(&mut s, o);
    s
}

fn write_date(s: &mut String, d: civil::Date) {
    let y = i32::from(d.year());
    if y.abs() < 1000 {
        let sign = if y < 0 { "-" } else { "" };
        let _ = write!(s, "{sign}{:04}", y.abs());
    } else {
        // java.time marks years beyond four digits with `+`; jiff's range stops at 9999.
        let _ = write!(s, "{y}");
    }
    let _ = write!(s, "-{:02}-{:02}", d.month(), d.day());
}

fn write_time(s: &mut String, t: civil::Time, iso: bool) {
    let _ = write!(s, "{:02}:{:02}", t.hour(), t.minute());
    let nanos = t.subsec_nanosecond();
    if iso || t.second() > 0 || nanos > 0 {
        let _ = write!(s, ":{:02}", t.second());
    }
    if nanos > 0 {
        if iso {
            let digits = format!("{nanos:09}");
            let _ = write!(s, ".{}", digits.trim_end_matches('0'));
        } else if nanos % 1_000_000 == 0 {
            let _ = write!(s, ".{:03}", nanos / 1_000_000);
        } else if nanos % 1000 == 0 {
            let _ = write!(s, ".{:06}", nanos / 1000);
        } else {
            let _ = write!(s, ".{nanos:09}");
        }
    }
}

fn write_offset(s: &mut String, o: Offset) {
    let total = o.seconds();
    if total == 0 {
        s.push('Z');
        return;
    }
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.unsigned_abs();
    let _ = write!(s, "{sign}{:02}:{:02}", abs / 3600, abs / 60 % 60);
    if !abs.is_multiple_of(60) {
        let _ = write!(s, ":{:02}", abs % 60);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: i8, m: i8, s: i8, n: i32) -> civil::Time {
        civil::Time::new(h, m, s, n).unwrap()
    }

    #[test]
    fn times_print_as_java_and_as_iso() {
        assert_eq!(time_text(t(2, 0, 0, 0), false), "02:00");
        assert_eq!(time_text(t(2, 0, 0, 0), true), "02:00:00");
        assert_eq!(time_text(t(2, 0, 5, 0), false), "02:00:05");
        assert_eq!(time_text(t(11, 17, 15, 100_000_000), false), "11:17:15.100");
        assert_eq!(time_text(t(11, 17, 15, 100_000_000), true), "11:17:15.1");
        assert_eq!(time_text(t(0, 0, 0, 1_000), false), "00:00:00.000001");
        assert_eq!(time_text(t(0, 0, 0, 1), false), "00:00:00.000000001");
    }

    #[test]
    fn dates_offsets_and_zones() {
        assert_eq!(date_text(civil::date(5, 1, 2)), "0005-01-02");
        assert_eq!(date_text(civil::date(-1, 1, 2)), "-0001-01-02");
        assert_eq!(offset_text(Offset::UTC), "Z");
        assert_eq!(
            offset_text(Offset::from_seconds(-(5 * 3600 + 30 * 60)).unwrap()),
            "-05:30"
        );
        let z = ZonedDateTime::of_local(
            civil::date(2023, 2, 6).at(0, 0, 0, 0),
            Some("America/Chicago"),
            Offset::UTC,
        )
        .unwrap();
        assert_eq!(z.to_string(), "2023-02-06T00:00-06:00[America/Chicago]");
        assert_eq!(z.iso(), "2023-02-06T00:00:00-06:00[America/Chicago]");
        assert!(ZonedDateTime::of_local(z.local, Some("Nowhere/Else"), Offset::UTC).is_err());
    }
}
