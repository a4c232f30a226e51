//! Reading temporal text in the forms Neo4j accepts: calendar dates (`2015-07-21`,
//! `20150721`, `2015-07`, `2015`), week dates (`2015-W30-2`), quarter dates (`2015-Q3-21`),
//! ordinal dates (`2015-202`), times (`21:40:32.142`, `214032`, `21:40`, `21`), offsets
//! (`Z`, `+01:00`, `+0100`, `+01`) and zone names in brackets (`[Europe/Stockholm]`).
//!
//! It owns the grammar and the range checks, with java.time's messages
//! ("Invalid value for MonthOfYear (valid values 1 - 12): 13"). It must not apply a
//! default zone: a missing zone is reported as missing, and the caller decides.

use jiff::civil::{self, ISOWeekDate, Weekday};
use jiff::tz::Offset;

/// Why temporal text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not in any accepted form; holds the type name (`Date`, `LocalTime`, ...).
    #[error("Text cannot be parsed to a {0}")]
    Form(&'static str),
    /// In an accepted form, but a field is out of its range (java.time's words).
    #[error("{0}")]
    Range(String),
}

/// The zone part of a time or date-time, as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ZoneText {
    /// `Z` or `+01:00`.
    pub offset: Option<Offset>,
    /// `[Europe/Stockholm]`.
    pub name: Option<String>,
}

impl ZoneText {
    /// True when neither an offset nor a name was given.
    pub fn is_empty(&self) -> bool {
        self.offset.is_none() && self.name.is_none()
    }
}

fn range(field: &str, valid: &str, value: i64) -> ParseError {
    ParseError::Range(format!(
        "Invalid value for {field} (valid values {valid}): {value}"
    ))
}

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

/// The date `year-month-day`, with java.time's checks and messages.
pub fn checked_date(year: i64, month: i64, day: i64) -> Result<civil::Date, ParseError> {
    if !(-9999..=9999).contains(&year) {
        return Err(range("Year", "-9999 - 9999", year));
    }
    if !(1..=12).contains(&month) {
        return Err(range("MonthOfYear", "1 - 12", month));
    }
    if !(1..=31).contains(&day) {
        return Err(range("DayOfMonth", "1 - 28/31", day));
    }
    let first = civil::Date::new(year as i16, month as i8, 1)
        .map_err(|_| range("Year", "-9999 - 9999", year))?;
    if day > i64::from(first.days_in_month()) {
        let name = MONTHS[(month - 1) as usize];
        return Err(ParseError::Range(if month == 2 && day == 29 {
            format!("Invalid date '{name} 29' as '{year}' is not a leap year")
        } else {
            format!("Invalid date '{} {day}'", name.to_uppercase())
        }));
    }
    civil::Date::new(year as i16, month as i8, day as i8)
        .map_err(|e| ParseError::Range(e.to_string()))
}

/// The time `hour:minute:second.nanos`, with java.time's checks and messages.
pub fn checked_time(
    hour: i64,
    minute: i64,
    second: i64,
    nanos: i64,
) -> Result<civil::Time, ParseError> {
    if !(0..=23).contains(&hour) {
        return Err(range("HourOfDay", "0 - 23", hour));
    }
    if !(0..=59).contains(&minute) {
        return Err(range("MinuteOfHour", "0 - 59", minute));
    }
    if !(0..=59).contains(&second) {
        return Err(range("SecondOfMinute", "0 - 59", second));
    }
    if !(0..=999_999_999).contains(&nanos) {
        return Err(range("NanoOfSecond", "0 - 999999999", nanos));
    }
    civil::Time::new(hour as i8, minute as i8, second as i8, nanos as i32)
        .map_err(|e| ParseError::Range(e.to_string()))
}

/// The date of ISO week `week`, day `dow` (1 = Monday) of week-based `year`.
pub fn week_date(year: i64, week: i64, dow: i64) -> Result<civil::Date, ParseError> {
    if !(1..=7).contains(&dow) {
        return Err(range("DayOfWeek", "1 - 7", dow));
    }
    let weekday =
        Weekday::from_monday_one_offset(dow as i8).map_err(|e| ParseError::Range(e.to_string()))?;
    if !(-9998..=9998).contains(&year) {
        return Err(range("Year", "-9999 - 9999", year));
    }
    ISOWeekDate::new(year as i16, week as i8, weekday)
        .map(|w| w.date())
        .map_err(|_| range("WeekOfWeekBasedYear", "1 - 52/53", week))
}

/// The `doy`th day of `year`.
pub fn ordinal_date(year: i64, doy: i64) -> Result<civil::Date, ParseError> {
    let first = checked_date(year, 1, 1)?;
    let days = i64::from(first.days_in_year());
    if !(1..=days).contains(&doy) {
        return Err(range("DayOfYear", "1 - 365/366", doy));
    }
    first
        .checked_add(jiff::Span::new().days(doy - 1))
        .map_err(|e| ParseError::Range(e.to_string()))
}

/// The `doq`th day of quarter `quarter` of `year`.
pub fn quarter_date(year: i64, quarter: i64, doq: i64) -> Result<civil::Date, ParseError> {
    if !(1..=4).contains(&quarter) {
        return Err(range("QuarterOfYear", "1 - 4", quarter));
    }
    let first = checked_date(year, (quarter - 1) * 3 + 1, 1)?;
    let next = first
        .checked_add(jiff::Span::new().months(3))
        .map_err(|e| ParseError::Range(e.to_string()))?;
    let days = i64::from((next - first).get_days());
    if !(1..=days).contains(&doq) {
        return Err(range("DayOfQuarter", "1 - 90/91/92", doq));
    }
    first
        .checked_add(jiff::Span::new().days(doq - 1))
        .map_err(|e| ParseError::Range(e.to_string()))
}

/// A small cursor over ASCII text.
struct Cur<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    fn new(s: &'a str) -> Cur<'a> {
        Cur {
            s: s.as_bytes(),
            i: 0,
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek().is_some_and(|p| p.eq_ignore_ascii_case(&c)) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn digits_run(&self) -> usize {
        self.s[self.i..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    }
    /// Exactly `n` digits.
    fn digits(&mut self, n: usize) -> Option<i64> {
        if self.digits_run() < n {
            return None;
        }
        let text = std::str::from_utf8(&self.s[self.i..self.i + n]).ok()?;
        self.i += n;
        text.parse().ok()
    }
    /// One to `max` digits.
    fn digits_upto(&mut self, max: usize) -> Option<i64> {
        let n = self.digits_run().min(max);
        if n == 0 {
            return None;
        }
        self.digits(n)
    }
    fn done(&self) -> bool {
        self.i == self.s.len()
    }
    fn rest(&self) -> &'a str {
        std::str::from_utf8(&self.s[self.i..]).unwrap_or("")
    }
}

/// Parses a date (`kind` names the type in the error).
fn date_at(c: &mut Cur<'_>, kind: &'static str) -> Result<civil::Date, ParseError> {
    let form = || ParseError::Form(kind);
    let signed = matches!(c.peek(), Some(b'+' | b'-'));
    let year = if signed {
        let negative = c.peek() == Some(b'-');
        c.i += 1;
        let y = c.digits_upto(9).ok_or_else(form)?;
        if negative { -y } else { y }
    } else {
        c.digits(4).ok_or_else(form)?
    };
    if c.eat(b'-') {
        if c.eat(b'W') {
            let week = c.digits(2).ok_or_else(form)?;
            let dow = if c.eat(b'-') {
                c.digits(1).ok_or_else(form)?
            } else {
                1
            };
            return week_date(year, week, dow);
        }
        if c.eat(b'Q') {
            let q = c.digits(1).ok_or_else(form)?;
            let doq = if c.eat(b'-') {
                c.digits_upto(2).ok_or_else(form)?
            } else {
                1
            };
            return quarter_date(year, q, doq);
        }
        if c.digits_run() == 3 {
            let doy = c.digits(3).ok_or_else(form)?;
            return ordinal_date(year, doy);
        }
        let month = c.digits_upto(2).ok_or_else(form)?;
        let day = if c.eat(b'-') {
            c.digits_upto(2).ok_or_else(form)?
        } else {
            1
        };
        return checked_date(year, month, day);
    }
    if signed {
        return checked_date(year, 1, 1);
    }
    if c.eat(b'W') {
        let week = c.digits(2).ok_or_else(form)?;
        let dow = c.digits(1).unwrap_or(1);
        return week_date(year, week, dow);
    }
    if c.eat(b'Q') {
        let q = c.digits(1).ok_or_else(form)?;
        let doq = c.digits(2).unwrap_or(1);
        return quarter_date(year, q, doq);
    }
    match c.digits_run() {
        0 => checked_date(year, 1, 1),
        2 => checked_date(year, c.digits(2).ok_or_else(form)?, 1),
        3 => ordinal_date(year, c.digits(3).ok_or_else(form)?),
        4 => {
            let m = c.digits(2).ok_or_else(form)?;
            let d = c.digits(2).ok_or_else(form)?;
            checked_date(year, m, d)
        }
        _ => Err(form()),
    }
}

/// Parses a time of day without its zone.
fn time_at(c: &mut Cur<'_>, kind: &'static str) -> Result<civil::Time, ParseError> {
    let form = || ParseError::Form(kind);
    let hour = c.digits(2).ok_or_else(form)?;
    let (mut minute, mut second, mut nanos) = (0, 0, 0);
    let long = c.peek() == Some(b':');
    let next = |c: &mut Cur<'_>| -> Option<i64> {
        if long {
            if c.peek() == Some(b':') && c.s.get(c.i + 1).is_some_and(u8::is_ascii_digit) {
                c.i += 1;
                c.digits(2)
            } else {
                None
            }
        } else {
            c.digits(2)
        }
    };
    if let Some(m) = next(c) {
        minute = m;
        if let Some(s) = next(c) {
            second = s;
            if matches!(c.peek(), Some(b'.' | b',')) {
                c.i += 1;
                let n = c.digits_run();
                if n == 0 || n > 9 {
                    return Err(form());
                }
                let frac = c.digits(n).ok_or_else(form)?;
                nanos = frac * 10i64.pow(9 - n as u32);
            }
        }
    }
    checked_time(hour, minute, second, nanos)
}

/// Parses an optional offset and zone name.
fn zone_at(c: &mut Cur<'_>, kind: &'static str) -> Result<ZoneText, ParseError> {
    let form = || ParseError::Form(kind);
    let mut zone = ZoneText::default();
    if c.eat(b'Z') {
        zone.offset = Some(Offset::UTC);
    } else if let Some(sign @ (b'+' | b'-')) = c.peek() {
        c.i += 1;
        let h = c.digits(2).ok_or_else(form)?;
        let long = c.eat(b':');
        let m = if long {
            c.digits(2).ok_or_else(form)?
        } else {
            c.digits(2).unwrap_or(0)
        };
        let s = if (long && c.eat(b':')) || (!long && c.digits_run() == 2) {
            c.digits(2).ok_or_else(form)?
        } else {
            0
        };
        if h > 18 || m > 59 || s > 59 {
            return Err(ParseError::Range(format!(
                "Zone offset hours not in valid range: value {h} is not in the range -18 to 18"
            )));
        }
        let secs = (h * 3600 + m * 60 + s) as i32;
        let secs = if sign == b'-' { -secs } else { secs };
        zone.offset = Some(Offset::from_seconds(secs).map_err(|_| form())?);
    }
    if c.eat(b'[') {
        let rest = c.rest();
        let end = rest.find(']').ok_or_else(form)?;
        let name = &rest[..end];
        if name.is_empty() {
            return Err(form());
        }
        zone.name = Some(name.to_string());
        c.i += end + 1;
    }
    Ok(zone)
}

/// A date: `2015-07-21`, `20150721`, `2015-07`, `2015-W30-2`, `2015-Q3-21`, `2015-202`, `2015`.
pub fn date(text: &str) -> Result<civil::Date, ParseError> {
    let mut c = Cur::new(text.trim());
    let d = date_at(&mut c, "Date")?;
    if !c.done() {
        return Err(ParseError::Form("Date"));
    }
    Ok(d)
}

/// A local time: `21:40:32.142`, `214032`, `21:40`, `21`.
pub fn local_time(text: &str) -> Result<civil::Time, ParseError> {
    let mut c = Cur::new(text.trim());
    let t = time_at(&mut c, "LocalTime")?;
    if !c.done() {
        return Err(ParseError::Form("LocalTime"));
    }
    Ok(t)
}

/// A time with an optional zone: `21:40:32+01:00`, `21:40Z`, `21:40[Europe/Stockholm]`.
pub fn time(text: &str) -> Result<(civil::Time, ZoneText), ParseError> {
    let mut c = Cur::new(text.trim());
    let t = time_at(&mut c, "Time")?;
    let z = zone_at(&mut c, "Time")?;
    if !c.done() {
        return Err(ParseError::Form("Time"));
    }
    Ok((t, z))
}

/// A local date-time: a date, optionally `T` and a time.
pub fn local_datetime(text: &str) -> Result<civil::DateTime, ParseError> {
    let mut c = Cur::new(text.trim());
    let d = date_at(&mut c, "LocalDateTime")?;
    let t = if c.eat(b'T') {
        time_at(&mut c, "LocalDateTime")?
    } else {
        civil::Time::midnight()
    };
    if !c.done() {
        return Err(ParseError::Form("LocalDateTime"));
    }
    Ok(d.to_datetime(t))
}

/// A date-time with an optional zone: `2015-07-21T21:40:32.142+01:00[Europe/London]`.
pub fn datetime(text: &str) -> Result<(civil::DateTime, ZoneText), ParseError> {
    let mut c = Cur::new(text.trim());
    let d = date_at(&mut c, "DateTime")?;
    let (t, z) = if c.eat(b'T') {
        let t = time_at(&mut c, "DateTime")?;
        (t, zone_at(&mut c, "DateTime")?)
    } else {
        (civil::Time::midnight(), zone_at(&mut c, "DateTime")?)
    };
    if !c.done() {
        return Err(ParseError::Form("DateTime"));
    }
    Ok((d.to_datetime(t), z))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_form() {
        let want = civil::date(2015, 7, 21);
        for text in [
            "2015-07-21",
            "20150721",
            "2015-W30-2",
            "2015W302",
            "2015-202",
            "2015202",
            "2015-Q3-21",
        ] {
            assert_eq!(date(text), Ok(want), "{text}");
        }
        assert_eq!(date("2015-07"), Ok(civil::date(2015, 7, 1)));
        assert_eq!(date("201507"), Ok(civil::date(2015, 7, 1)));
        assert_eq!(date("2015"), Ok(civil::date(2015, 1, 1)));
        assert_eq!(date("2015-W30"), Ok(civil::date(2015, 7, 20)));
        assert_eq!(date("-0001-01-01"), Ok(civil::date(-1, 1, 1)));
    }

    #[test]
    fn bad_dates_say_why() {
        assert_eq!(date("foo"), Err(ParseError::Form("Date")));
        assert_eq!(date("2015-07-21T"), Err(ParseError::Form("Date")));
        assert_eq!(
            date("2015-13-01").unwrap_err().to_string(),
            "Invalid value for MonthOfYear (valid values 1 - 12): 13"
        );
        assert_eq!(
            date("2015-02-29").unwrap_err().to_string(),
            "Invalid date 'February 29' as '2015' is not a leap year"
        );
        assert_eq!(
            date("2015-04-31").unwrap_err().to_string(),
            "Invalid date 'APRIL 31'"
        );
    }

    #[test]
    fn times_and_zones() {
        assert_eq!(
            local_time("21:40:32.142"),
            Ok(civil::time(21, 40, 32, 142_000_000))
        );
        assert_eq!(local_time("214032"), Ok(civil::time(21, 40, 32, 0)));
        assert_eq!(local_time("21"), Ok(civil::time(21, 0, 0, 0)));
        let (t, z) = time("21:40+01:00").unwrap();
        assert_eq!(t, civil::time(21, 40, 0, 0));
        assert_eq!(z.offset.map(|o| o.seconds()), Some(3600));
        let (_, z) = time("21:40Z").unwrap();
        assert_eq!(z.offset, Some(Offset::UTC));
        let (dt, z) = datetime("2015-07-21T21:40:32.142+01:00[Europe/London]").unwrap();
        assert_eq!(dt, civil::date(2015, 7, 21).at(21, 40, 32, 142_000_000));
        assert_eq!(z.name.as_deref(), Some("Europe/London"));
        let (_, z) = datetime("2015-07-21T21:40").unwrap();
        assert!(z.is_empty());
        assert_eq!(
            local_time("25:00").unwrap_err().to_string(),
            "Invalid value for HourOfDay (valid values 0 - 23): 25"
        );
        assert!(time("21:40+").is_err());
    }
}
