//! Cypher's DURATION: months, days, seconds and nanoseconds kept apart, as Neo4j keeps
//! them (a month is not a fixed number of days, nor a day a fixed number of seconds).
//!
//! It owns the normalised representation (nanoseconds in `0..1e9`, carried into seconds),
//! Neo4j's text form (`P1Y2M3DT4H5M6.007S`, which cypher-shell prints), the parser of
//! Neo4j's duration strings, and the comparison Neo4j uses. Building durations from maps
//! and between temporals is the evaluator's.

use std::cmp::Ordering;
use std::fmt;

/// Nanoseconds in a second.
pub const NANOS_PER_SECOND: i64 = 1_000_000_000;
/// Seconds in a day.
pub const SECONDS_PER_DAY: i64 = 86_400;
/// Neo4j's average month (365.2425 / 12 days) in seconds, for ordering and averages.
pub const AVG_SECONDS_PER_MONTH: i64 = 2_629_746;

/// A duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Duration {
    /// Months (years are twelve months).
    pub months: i64,
    /// Days (weeks are seven days).
    pub days: i64,
    /// Seconds (hours and minutes fold in here).
    pub seconds: i64,
    /// Nanoseconds, always in `0..1_000_000_000`.
    pub nanos: i32,
}

/// A duration component that does not fit 64 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("long overflow")]
pub struct Overflow;

impl Duration {
    /// A duration, with `nanos` of any size carried into the seconds.
    pub fn new(months: i64, days: i64, seconds: i64, nanos: i64) -> Result<Duration, Overflow> {
        let seconds = seconds
            .checked_add(nanos.div_euclid(NANOS_PER_SECOND))
            .ok_or(Overflow)?;
        Ok(Duration {
            months,
            days,
            seconds,
            nanos: nanos.rem_euclid(NANOS_PER_SECOND) as i32,
        })
    }

    /// The sum of two durations, component by component.
    pub fn checked_add(self, o: Duration) -> Result<Duration, Overflow> {
        Duration::new(
            self.months.checked_add(o.months).ok_or(Overflow)?,
            self.days.checked_add(o.days).ok_or(Overflow)?,
            self.seconds.checked_add(o.seconds).ok_or(Overflow)?,
            i64::from(self.nanos) + i64::from(o.nanos),
        )
    }

    /// The negated duration.
    pub fn checked_neg(self) -> Result<Duration, Overflow> {
        Duration::new(
            self.months.checked_neg().ok_or(Overflow)?,
            self.days.checked_neg().ok_or(Overflow)?,
            self.seconds.checked_neg().ok_or(Overflow)?,
            -i64::from(self.nanos),
        )
    }

    /// The length Neo4j orders durations by: seconds, with days as 86,400 s and months as
    /// the average month.
    pub fn average_seconds(&self) -> i128 {
        i128::from(self.seconds)
            + i128::from(self.days) * i128::from(SECONDS_PER_DAY)
            + i128::from(self.months) * i128::from(AVG_SECONDS_PER_MONTH)
    }

    /// Neo4j's ordering of durations: by average length, then by nanoseconds, months, days.
    pub fn order(&self, o: &Duration) -> Ordering {
        self.average_seconds()
            .cmp(&o.average_seconds())
            .then(self.nanos.cmp(&o.nanos))
            .then(self.months.cmp(&o.months))
            .then(self.days.cmp(&o.days))
            .then(self.seconds.cmp(&o.seconds))
    }

    /// Parses Neo4j's duration text: `P[nY][nM][nW][nD][T[nH][nM][n[.f]S]]` with an optional
    /// sign before `P` and on each number, a fraction allowed on the smallest unit given,
    /// or the date-like form `P2012-02-02T14:37:21.545`. `None` when it is not one.
    pub fn parse(text: &str) -> Option<Duration> {
        let (sign, rest) = match text.as_bytes().first()? {
            b'-' => (-1i64, &text[1..]),
            b'+' => (1, &text[1..]),
            _ => (1, text),
        };
        let rest = rest.strip_prefix(['P', 'p'])?;
        // The date-like form has no unit letters but `T`; the unit form always has some.
        let date_like = !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | ':' | '.' | ',' | 'T' | 't'));
        let d = if date_like {
            parse_date_like(rest)?
        } else {
            parse_units(rest)?
        };
        if sign < 0 {
            d.checked_neg().ok()
        } else {
            Some(d)
        }
    }
}

/// One `number unit` of the unit form.
struct Part<'a> {
    number: &'a str,
    unit: char,
}

fn parse_units(text: &str) -> Option<Duration> {
    let (date, time) = match text.find(['T', 't']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    if time == Some("") || (date.is_empty() && time.is_none()) {
        return None;
    }
    let mut parts: Vec<(Part<'_>, bool)> = Vec::new();
    for (section, is_time) in [(date, false), (time.unwrap_or(""), true)] {
        let mut s = section;
        while !s.is_empty() {
            let end = s
                .char_indices()
                .find(|&(i, c)| {
                    !(c.is_ascii_digit()
                        || (i == 0 && (c == '-' || c == '+'))
                        || c == '.'
                        || c == ',')
                })
                .map(|(i, _)| i)?;
            let unit = s[end..].chars().next()?.to_ascii_uppercase();
            parts.push((
                Part {
                    number: &s[..end],
                    unit,
                },
                is_time,
            ));
            s = &s[end + 1..];
        }
    }
    let order_date = ['Y', 'M', 'W', 'D'];
    let order_time = ['H', 'M', 'S'];
    let mut last_rank = None;
    let mut months: i64 = 0;
    let mut days: i64 = 0;
    let mut seconds: i64 = 0;
    let mut nanos: i64 = 0;
    let mut fraction: Option<f64> = None;
    let count = parts.len();
    for (i, (p, is_time)) in parts.into_iter().enumerate() {
        let rank = if is_time {
            4 + order_time.iter().position(|&u| u == p.unit)?
        } else {
            order_date.iter().position(|&u| u == p.unit)?
        };
        if last_rank.is_some_and(|r| rank <= r) {
            return None;
        }
        last_rank = Some(rank);
        let number = p.number.replace(',', ".");
        if number.is_empty() || number == "-" || number == "+" {
            return None;
        }
        if let Some(dot) = number.find('.') {
            if p.unit == 'S' && is_time {
                let whole: i64 = number[..dot].parse().ok()?;
                let frac = &number[dot + 1..];
                if frac.is_empty() || frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let mut n: i64 = frac.parse().ok()?;
                for _ in frac.len()..9 {
                    n *= 10;
                }
                if number.starts_with('-') {
                    n = -n;
                }
                seconds = seconds.checked_add(whole)?;
                nanos += n;
                continue;
            }
            // A fraction is only allowed on the last unit given.
            if i + 1 != count {
                return None;
            }
            let value: f64 = number.parse().ok()?;
            fraction = Some(value);
            let (m, d, s) = match (p.unit, is_time) {
                ('Y', false) => (value * 12.0, 0.0, 0.0),
                ('M', false) => (value, 0.0, 0.0),
                ('W', false) => (0.0, value * 7.0, 0.0),
                ('D', false) => (0.0, value, 0.0),
                ('H', true) => (0.0, 0.0, value * 3600.0),
                ('M', true) => (0.0, 0.0, value * 60.0),
                _ => return None,
            };
            let extra = approximate(m, d, s, 0.0)?;
            months = months.checked_add(extra.months)?;
            days = days.checked_add(extra.days)?;
            seconds = seconds.checked_add(extra.seconds)?;
            nanos += i64::from(extra.nanos);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        match (p.unit, is_time) {
            ('Y', false) => months = months.checked_add(n.checked_mul(12)?)?,
            ('M', false) => months = months.checked_add(n)?,
            ('W', false) => days = days.checked_add(n.checked_mul(7)?)?,
            ('D', false) => days = days.checked_add(n)?,
            ('H', true) => seconds = seconds.checked_add(n.checked_mul(3600)?)?,
            ('M', true) => seconds = seconds.checked_add(n.checked_mul(60)?)?,
            ('S', true) => seconds = seconds.checked_add(n)?,
            _ => return None,
        }
    }
    let _ = fraction;
    Duration::new(months, days, seconds, nanos).ok()
}

/// `P2012-02-02T14:37:21.545`, `P20120202T143721`, `PT14:37`: years, months and days, and
/// hours, minutes and seconds, each in its calendar range.
fn parse_date_like(text: &str) -> Option<Duration> {
    let (date, time) = match text.find(['T', 't']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let mut months = 0i64;
    let mut days = 0i64;
    if !date.is_empty() {
        let digits: String = date.chars().filter(|c| *c != '-').collect();
        let long = date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-';
        if !(long || (date.len() == 8 && digits.len() == 8))
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let y: i64 = digits[..4].parse().ok()?;
        let m: i64 = digits[4..6].parse().ok()?;
        let d: i64 = digits[6..8].parse().ok()?;
        if m > 12 || d > 31 {
            return None;
        }
        months = y * 12 + m;
        days = d;
    }
    let mut seconds = 0i64;
    let mut nanos = 0i64;
    if let Some(t) = time {
        let (clock, frac) = match t.find(['.', ',']) {
            Some(i) => (&t[..i], Some(&t[i + 1..])),
            None => (t, None),
        };
        let fields: Vec<&str> = if clock.contains(':') {
            clock.split(':').collect()
        } else {
            clock
                .as_bytes()
                .chunks(2)
                .map(|c| std::str::from_utf8(c).unwrap_or("x"))
                .collect()
        };
        if fields.is_empty()
            || fields.len() > 3
            || fields
                .iter()
                .any(|f| f.len() != 2 || !f.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let get = |i: usize| fields.get(i).map_or(Some(0), |f| f.parse::<i64>().ok());
        let (h, mi, s) = (get(0)?, get(1)?, get(2)?);
        if h > 24 || mi > 60 || s > 60 {
            return None;
        }
        if let Some(f) = frac {
            if fields.len() != 3
                || f.is_empty()
                || f.len() > 9
                || !f.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            nanos = f.parse::<i64>().ok()? * 10i64.pow(9 - f.len() as u32);
        }
        seconds = h * 3600 + mi * 60 + s;
    }
    Duration::new(months, days, seconds, nanos).ok()
}

/// Neo4j's `approximate`, in its order of operations: the fraction of the months spills
/// into days by the average month, the fraction of the days into seconds, the fraction of
/// the seconds into nanoseconds, each part truncated; so `P0.5M` is 15 days 5 hours 14
/// minutes 33 seconds. `None` when a part does not fit 64 bits.
pub fn approximate(months: f64, days: f64, seconds: f64, nanos: f64) -> Option<Duration> {
    let whole = |f: f64| (f.is_finite() && f.abs() < 9.2e18).then(|| f.trunc() as i64);
    let nanos_per_month = (AVG_SECONDS_PER_MONTH * NANOS_PER_SECOND) as f64;
    let nanos_per_day = (SECONDS_PER_DAY * NANOS_PER_SECOND) as f64;
    let ns = NANOS_PER_SECOND as f64;
    let m = whole(months)?;
    let days = days + (nanos_per_month * months - nanos_per_month * m as f64) / nanos_per_day;
    let d = whole(days)?;
    let seconds = seconds + (nanos_per_day * days - nanos_per_day * d as f64) / ns;
    let s = whole(seconds)?;
    let nanos = nanos + (ns * seconds - ns * s as f64);
    Duration::new(m, d, s, whole(nanos)?).ok()
}

impl fmt::Display for Duration {
    /// Neo4j's `DurationValue.prettyPrint`: years and months from the months, days, then
    /// hours, minutes and seconds from the seconds, zero parts left out (`PT0S` for zero).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::from("P");
        let part = |s: &mut String, q: i64, unit: char| {
            if q != 0 {
                s.push_str(&q.to_string());
                s.push(unit);
            }
        };
        part(&mut s, self.months / 12, 'Y');
        part(&mut s, self.months % 12, 'M');
        part(&mut s, self.days, 'D');
        if self.seconds != 0 || self.nanos != 0 {
            let negative = self.seconds < 0;
            let mut secs = self.seconds;
            let mut n = i64::from(self.nanos);
            if negative && n != 0 {
                secs += 1;
                n -= NANOS_PER_SECOND;
            }
            s.push('T');
            part(&mut s, secs / 3600, 'H');
            secs %= 3600;
            part(&mut s, secs / 60, 'M');
            secs %= 60;
            if secs != 0 {
                s.push_str(&secs.to_string());
                write_nanos(&mut s, n);
                s.push('S');
            } else if n != 0 {
                if negative {
                    s.push('-');
                }
                s.push('0');
                write_nanos(&mut s, n);
                s.push('S');
            }
        }
        if s.len() == 1 {
            s.push_str("T0S");
        }
        f.write_str(&s)
    }
}

/// `.` and the nanoseconds' digits without trailing zeros (nothing for zero).
fn write_nanos(s: &mut String, n: i64) {
    if n == 0 {
        return;
    }
    let digits = format!("{:09}", n.abs());
    s.push('.');
    s.push_str(digits.trim_end_matches('0'));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        Duration::parse(s).map_or_else(|| "none".into(), |d| d.to_string())
    }

    #[test]
    fn prints_as_neo4j() {
        assert_eq!(p("P1M8DT3601.1S"), "P1M8DT1H1.1S");
        assert_eq!(p("PT1S"), "PT1S");
        assert_eq!(p("PT0S"), "PT0S");
        assert_eq!(p("P14DT16H12M"), "P14DT16H12M");
        assert_eq!(p("P1Y2M3DT4H5M6.007S"), "P1Y2M3DT4H5M6.007S");
        assert_eq!(p("PT-0.5S"), "PT-0.5S");
        assert_eq!(p("-PT1.5S"), "PT-1.5S");
        assert_eq!(p("P14M"), "P1Y2M");
        assert_eq!(p("PT1M"), "PT1M");
        assert_eq!(p("P2012-02-02T14:37:21.545"), "P2012Y2M2DT14H37M21.545S");
        assert_eq!(p("P0.5D"), "PT12H");
        assert_eq!(p("P0.5M"), "P15DT5H14M33S");
        assert_eq!(p("P1.5W"), "P10DT12H");
    }

    #[test]
    fn refuses_what_neo4j_refuses() {
        for bad in [
            "", "P", "PT", "1D", "P1S", "PT1D", "P1D2Y", "P1.5DT1H", "Pfoo", "P1Y1Y",
        ] {
            assert_eq!(p(bad), "none", "{bad}");
        }
    }

    #[test]
    fn orders_by_average_length() {
        let month = Duration::parse("P1M").unwrap();
        let days30 = Duration::parse("P30D").unwrap();
        let days31 = Duration::parse("P31D").unwrap();
        assert_eq!(month.order(&days30), Ordering::Greater);
        assert_eq!(month.order(&days31), Ordering::Less);
    }
}
