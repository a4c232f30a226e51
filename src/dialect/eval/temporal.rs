//! Temporal and duration semantics of the evaluator: the constructor functions (`date`,
//! `localtime`, `time`, `localdatetime`, `datetime`, `duration`, from nothing (the
//! statement's clock), a string, a map or another temporal value), `*.truncate`,
//! `datetime.fromepoch[millis]`, `duration.between/inMonths/inDays/inSeconds`, temporal ±
//! duration, duration × number, and component access (`d.year`, `dur.minutes`).
//!
//! It owns those rules, following Neo4j (java.time arithmetic: months then days then
//! seconds, month ends clamped; UTC as the default zone). It must not parse text forms
//! (`value::parse` does) nor walk expressions.

use super::errors::{EvalError, EvalResult, bad_argument, invalid_argument, overflow};
use crate::value::duration::{NANOS_PER_SECOND, SECONDS_PER_DAY, approximate};
use crate::value::parse::{self, ParseError, checked_date, checked_time};
use crate::value::temporal::{self as vt, ZonedDateTime, ZonedTime};
use crate::value::{Duration, Value};
use jiff::civil::{self, Date, DateTime, Time};
use jiff::tz::Offset;
use jiff::{Span, Timestamp};
use std::collections::BTreeMap;

/// The five temporal types, as their constructor functions name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `date`
    Date,
    /// `localtime`
    LocalTime,
    /// `time`
    Time,
    /// `localdatetime`
    LocalDateTime,
    /// `datetime`
    DateTime,
}

impl Kind {
    /// The kind of a constructor function name (lower case).
    pub fn of(name: &str) -> Option<Kind> {
        Some(match name {
            "date" => Kind::Date,
            "localtime" => Kind::LocalTime,
            "time" => Kind::Time,
            "localdatetime" => Kind::LocalDateTime,
            "datetime" => Kind::DateTime,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Date => "date",
            Kind::LocalTime => "localtime",
            Kind::Time => "time",
            Kind::LocalDateTime => "localdatetime",
            Kind::DateTime => "datetime",
        }
    }

    fn has_date(self) -> bool {
        matches!(self, Kind::Date | Kind::LocalDateTime | Kind::DateTime)
    }

    fn has_time(self) -> bool {
        !matches!(self, Kind::Date)
    }

    fn zoned(self) -> bool {
        matches!(self, Kind::Time | Kind::DateTime)
    }
}

fn arg_error(e: ParseError) -> EvalError {
    EvalError::Argument(e.to_string())
}

fn zone_error(e: vt::ZoneError) -> EvalError {
    EvalError::Argument(e.to_string())
}

/// True for the five temporal kinds.
pub fn is_temporal(v: &Value) -> bool {
    matches!(
        v,
        Value::Date(_)
            | Value::LocalTime(_)
            | Value::Time(_)
            | Value::LocalDateTime(_)
            | Value::DateTime(_)
    )
}

/// A temporal value taken apart.
#[derive(Debug, Clone, Default)]
struct Parts {
    date: Option<Date>,
    time: Option<Time>,
    offset: Option<Offset>,
    zone: Option<String>,
}

fn parts(v: &Value) -> Option<Parts> {
    Some(match v {
        Value::Date(d) => Parts {
            date: Some(*d),
            ..Parts::default()
        },
        Value::LocalTime(t) => Parts {
            time: Some(*t),
            ..Parts::default()
        },
        Value::Time(t) => Parts {
            time: Some(t.time),
            offset: Some(t.offset),
            ..Parts::default()
        },
        Value::LocalDateTime(dt) => Parts {
            date: Some(dt.date()),
            time: Some(dt.time()),
            ..Parts::default()
        },
        Value::DateTime(dt) => Parts {
            date: Some(dt.local.date()),
            time: Some(dt.local.time()),
            offset: Some(dt.offset),
            zone: dt.zone.clone(),
        },
        _ => return None,
    })
}

/// A zone as `timezone` gives it: an offset text (`+01:00`, `Z`) or a zone name.
fn zone_of(text: &str) -> EvalResult<(Option<String>, Offset)> {
    if let Ok((_, z)) = parse::time(&format!("00:00{text}"))
        && let Some(o) = z.offset.filter(|_| z.name.is_none())
    {
        return Ok((None, o));
    }
    vt::time_zone(text).map_err(zone_error)?;
    Ok((Some(text.to_string()), Offset::UTC))
}

/// The value of `kind` at instant `now` in `zone` (a `timezone` text; UTC by default).
fn at_instant(kind: Kind, now: Timestamp, zone: Option<&str>) -> EvalResult {
    let (name, offset) = match zone {
        Some(z) => zone_of(z)?,
        None => (None, Offset::UTC),
    };
    let dt = ZonedDateTime::at(now, name.as_deref(), offset).map_err(zone_error)?;
    Ok(build(
        kind,
        dt.local.date(),
        dt.local.time(),
        dt.offset,
        dt.zone,
    ))
}

fn build(kind: Kind, date: Date, time: Time, offset: Offset, zone: Option<String>) -> Value {
    match kind {
        Kind::Date => Value::Date(date),
        Kind::LocalTime => Value::LocalTime(time),
        Kind::Time => Value::Time(ZonedTime { time, offset }),
        Kind::LocalDateTime => Value::LocalDateTime(date.to_datetime(time)),
        Kind::DateTime => Value::DateTime(ZonedDateTime {
            local: date.to_datetime(time),
            offset,
            zone,
        }),
    }
}

/// `kind()`, `kind(text)`, `kind(map)`, `kind(temporal)`; `now` is the statement clock.
pub fn construct(kind: Kind, args: &[Value], now: Timestamp) -> EvalResult {
    match args {
        [] => at_instant(kind, now, None),
        [Value::Null] => Ok(Value::Null),
        [Value::String(s)] => from_text(kind, s),
        [Value::Map(m)] => from_map(kind, m, now),
        [v] if is_temporal(v) => convert(kind, v),
        [other] => Err(bad_argument(
            kind.name(),
            "a String, Map or temporal value",
            other,
        )),
        _ => Err(invalid_argument(
            kind.name(),
            "expected at most one argument",
        )),
    }
}

/// `kind.statement()` / `.transaction()` / `.realtime()`, with an optional `timezone`.
pub fn clock(kind: Kind, args: &[Value], now: Timestamp) -> EvalResult {
    match args {
        [] => at_instant(kind, now, None),
        [Value::String(z)] => at_instant(kind, now, Some(z)),
        [Value::Null] => Ok(Value::Null),
        [other] => Err(bad_argument(kind.name(), "String", other)),
        _ => Err(invalid_argument(
            kind.name(),
            "expected at most one argument",
        )),
    }
}

fn from_text(kind: Kind, s: &str) -> EvalResult {
    Ok(match kind {
        Kind::Date => Value::Date(parse::date(s).map_err(arg_error)?),
        Kind::LocalTime => Value::LocalTime(parse::local_time(s).map_err(arg_error)?),
        Kind::LocalDateTime => Value::LocalDateTime(parse::local_datetime(s).map_err(arg_error)?),
        Kind::Time => {
            let (time, z) = parse::time(s).map_err(arg_error)?;
            let offset = match (z.offset, z.name) {
                (Some(o), _) => o,
                (None, Some(name)) => {
                    // A time in a named zone takes the zone's offset now, as Neo4j does.
                    vt::time_zone(&name)
                        .map_err(zone_error)?
                        .to_offset(Timestamp::now())
                }
                (None, None) => Offset::UTC,
            };
            Value::Time(ZonedTime { time, offset })
        }
        Kind::DateTime => {
            let (local, z) = parse::datetime(s).map_err(arg_error)?;
            Value::DateTime(match z.name {
                Some(name) => {
                    ZonedDateTime::of_local(local, Some(&name), Offset::UTC).map_err(zone_error)?
                }
                None => ZonedDateTime {
                    local,
                    offset: z.offset.unwrap_or(Offset::UTC),
                    zone: None,
                },
            })
        }
    })
}

/// A temporal value converted to `kind` (`date(datetime)` is its date, ...).
fn convert(kind: Kind, v: &Value) -> EvalResult {
    let p = parts(v).ok_or_else(|| bad_argument(kind.name(), "a temporal value", v))?;
    if kind.has_date() && p.date.is_none() {
        return Err(invalid_argument(
            kind.name(),
            format!("cannot make a {} from a value without a date", kind.name()),
        ));
    }
    let date = p.date.unwrap_or_else(|| civil::date(1970, 1, 1));
    let time = p.time.unwrap_or(Time::midnight());
    let offset = p.offset.unwrap_or(Offset::UTC);
    Ok(build(kind, date, time, offset, p.zone))
}

fn int_field(m: &BTreeMap<String, Value>, key: &str) -> EvalResult<Option<i64>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(*i)),
        Some(Value::Float(f)) if f.fract() == 0.0 && f.abs() < 9.2e18 => Ok(Some(*f as i64)),
        Some(other) => Err(super::errors::expected("an integer", other)),
    }
}

const DATE_KEYS: &[&str] = &[
    "year",
    "month",
    "day",
    "week",
    "dayOfWeek",
    "quarter",
    "dayOfQuarter",
    "ordinalDay",
];
const TIME_KEYS: &[&str] = &[
    "hour",
    "minute",
    "second",
    "millisecond",
    "microsecond",
    "nanosecond",
];

/// `kind({year: .., month: .., ..., timezone: ..})`, with `date`, `time`, `datetime`
/// entries naming a value to start from.
fn from_map(kind: Kind, m: &BTreeMap<String, Value>, now: Timestamp) -> EvalResult {
    for k in m.keys() {
        let known = DATE_KEYS.contains(&k.as_str())
            || TIME_KEYS.contains(&k.as_str())
            || matches!(
                k.as_str(),
                "timezone" | "date" | "time" | "datetime" | "epochSeconds" | "epochMillis"
            );
        if !known {
            return Err(EvalError::Argument(format!("No such field: {k}")));
        }
    }
    let zone_text = match m.get("timezone") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => return Err(bad_argument(kind.name(), "String", other)),
    };
    // From the epoch.
    if kind == Kind::DateTime && (m.contains_key("epochSeconds") || m.contains_key("epochMillis")) {
        let secs = int_field(m, "epochSeconds")?;
        let millis = int_field(m, "epochMillis")?;
        let nanos = int_field(m, "nanosecond")?.unwrap_or(0)
            + int_field(m, "microsecond")?.unwrap_or(0) * 1000
            + int_field(m, "millisecond")?.unwrap_or(0) * 1_000_000;
        let total = match (secs, millis) {
            (Some(s), _) => i128::from(s) * 1_000_000_000 + i128::from(nanos),
            (None, Some(ms)) => i128::from(ms) * 1_000_000 + i128::from(nanos),
            _ => 0,
        };
        let ts =
            Timestamp::from_nanosecond(total).map_err(|e| EvalError::Argument(e.to_string()))?;
        return at_instant(kind, ts, zone_text.as_deref());
    }
    // Only a zone: the current time there (`datetime({timezone: 'Europe/Stockholm'})`).
    if m.keys().all(|k| k == "timezone") {
        return at_instant(kind, now, zone_text.as_deref());
    }
    // The value to start from.
    let mut base = Parts::default();
    for key in ["datetime", "date", "time"] {
        match m.get(key) {
            None | Some(Value::Null) => {}
            Some(v) => {
                let p = parts(v).ok_or_else(|| bad_argument(kind.name(), "a temporal value", v))?;
                if key != "time" {
                    base.date = p.date.or(base.date);
                }
                if key != "date" {
                    if p.time.is_some() {
                        base.time = p.time;
                    }
                    if p.offset.is_some() {
                        base.offset = p.offset;
                        base.zone = p.zone;
                    }
                }
            }
        }
    }
    let (zone, offset) = match &zone_text {
        Some(z) => {
            let (name, o) = zone_of(z)?;
            (name, Some(o))
        }
        None => (base.zone.clone(), base.offset),
    };
    let date = if kind.has_date() {
        Some(date_fields(m, base.date)?)
    } else {
        if DATE_KEYS.iter().any(|k| m.contains_key(*k)) {
            return Err(EvalError::Argument(format!(
                "Cannot assign date fields to a {}",
                kind.name()
            )));
        }
        None
    };
    let time = if kind.has_time() {
        time_fields(m, base.time)?
    } else {
        if TIME_KEYS.iter().any(|k| m.contains_key(*k)) {
            return Err(EvalError::Argument(
                "Cannot assign time fields to a date".into(),
            ));
        }
        Time::midnight()
    };
    let date = date.unwrap_or_else(|| civil::date(1970, 1, 1));
    match kind {
        Kind::DateTime => {
            let local = date.to_datetime(time);
            let dt = match (zone, offset) {
                (Some(name), _) => {
                    ZonedDateTime::of_local(local, Some(&name), Offset::UTC).map_err(zone_error)?
                }
                (None, o) => ZonedDateTime {
                    local,
                    offset: o.unwrap_or(Offset::UTC),
                    zone: None,
                },
            };
            Ok(Value::DateTime(dt))
        }
        Kind::Time => {
            let offset = match zone {
                Some(name) => vt::time_zone(&name).map_err(zone_error)?.to_offset(now),
                None => offset.unwrap_or(Offset::UTC),
            };
            Ok(Value::Time(ZonedTime { time, offset }))
        }
        other => Ok(build(other, date, time, Offset::UTC, None)),
    }
}

fn date_fields(m: &BTreeMap<String, Value>, base: Option<Date>) -> EvalResult<Date> {
    let get = |k: &str| int_field(m, k);
    let year = get("year")?;
    if let Some(week) = get("week")? {
        let y = match year {
            Some(y) => y,
            None => base
                .map(|d| i64::from(d.iso_week_date().year()))
                .ok_or_else(|| EvalError::Argument("year must be specified".into()))?,
        };
        let dow = get("dayOfWeek")?.unwrap_or(1);
        return parse::week_date(y, week, dow).map_err(arg_error);
    }
    if let Some(q) = get("quarter")? {
        let y = year
            .or(base.map(|d| i64::from(d.year())))
            .ok_or_else(|| EvalError::Argument("year must be specified".into()))?;
        return parse::quarter_date(y, q, get("dayOfQuarter")?.unwrap_or(1)).map_err(arg_error);
    }
    if let Some(doy) = get("ordinalDay")? {
        let y = year
            .or(base.map(|d| i64::from(d.year())))
            .ok_or_else(|| EvalError::Argument("year must be specified".into()))?;
        return parse::ordinal_date(y, doy).map_err(arg_error);
    }
    let (month, day) = (get("month")?, get("day")?);
    match base {
        Some(b) => checked_date(
            year.unwrap_or(i64::from(b.year())),
            month.unwrap_or(i64::from(b.month())),
            day.unwrap_or(i64::from(b.day())),
        )
        .map_err(arg_error),
        None => {
            let y = year.ok_or_else(|| EvalError::Argument("year must be specified".into()))?;
            if day.is_some() && month.is_none() {
                return Err(EvalError::Argument("month must be specified".into()));
            }
            checked_date(y, month.unwrap_or(1), day.unwrap_or(1)).map_err(arg_error)
        }
    }
}

fn time_fields(m: &BTreeMap<String, Value>, base: Option<Time>) -> EvalResult<Time> {
    let get = |k: &str| int_field(m, k);
    let (h, mi, s) = (get("hour")?, get("minute")?, get("second")?);
    let (ms, us, ns) = (get("millisecond")?, get("microsecond")?, get("nanosecond")?);
    let sub = ms.is_some() || us.is_some() || ns.is_some();
    let nanos = |b: Option<Time>| -> i64 {
        if sub {
            ms.unwrap_or(0) * 1_000_000 + us.unwrap_or(0) * 1000 + ns.unwrap_or(0)
        } else {
            b.map_or(0, |t| i64::from(t.subsec_nanosecond()))
        }
    };
    if let Some(b) = base {
        return checked_time(
            h.unwrap_or(i64::from(b.hour())),
            mi.unwrap_or(i64::from(b.minute())),
            s.unwrap_or(i64::from(b.second())),
            nanos(Some(b)),
        )
        .map_err(arg_error);
    }
    // Smaller units need the larger ones (Neo4j: `second` without `minute` is refused).
    if h.is_none() && (mi.is_some() || s.is_some() || sub) {
        return Err(EvalError::Argument("hour must be specified".into()));
    }
    if mi.is_none() && (s.is_some() || sub) {
        return Err(EvalError::Argument("minute must be specified".into()));
    }
    if s.is_none() && sub {
        return Err(EvalError::Argument("second must be specified".into()));
    }
    checked_time(h.unwrap_or(0), mi.unwrap_or(0), s.unwrap_or(0), nanos(None)).map_err(arg_error)
}

/// `datetime.fromepoch(seconds, nanos)` and `datetime.fromepochmillis(millis)`.
pub fn from_epoch(millis: bool, args: &[Value]) -> EvalResult {
    let name = if millis {
        "datetime.fromepochmillis"
    } else {
        "datetime.fromepoch"
    };
    let num = |v: &Value| match v {
        Value::Int(i) => Ok(Some(i128::from(*i))),
        Value::Float(f) => Ok(Some(*f as i128)),
        Value::Null => Ok(None),
        other => Err(bad_argument(name, "a number", other)),
    };
    let total = match (millis, args) {
        (true, [ms]) => num(ms)?.map(|m| m * 1_000_000),
        (false, [s, n]) => match (num(s)?, num(n)?) {
            (Some(s), Some(n)) => Some(s * 1_000_000_000 + n),
            _ => None,
        },
        _ => return Err(invalid_argument(name, "wrong number of arguments")),
    };
    let Some(total) = total else {
        return Ok(Value::Null);
    };
    let ts = Timestamp::from_nanosecond(total).map_err(|e| EvalError::Argument(e.to_string()))?;
    at_instant(Kind::DateTime, ts, None)
}

fn span_err(e: jiff::Error) -> EvalError {
    EvalError::Argument(e.to_string())
}

fn add_calendar(date: Date, months: i64, days: i64) -> EvalResult<Date> {
    let d = date
        .checked_add(Span::new().try_months(months).map_err(span_err)?)
        .map_err(span_err)?;
    d.checked_add(Span::new().try_days(days).map_err(span_err)?)
        .map_err(span_err)
}

fn add_clock(dt: DateTime, seconds: i64, nanos: i64) -> EvalResult<DateTime> {
    let total = i128::from(seconds) * i128::from(NANOS_PER_SECOND) + i128::from(nanos);
    let sd = jiff::SignedDuration::from_nanos_i128(total);
    dt.checked_add(sd).map_err(span_err)
}

fn time_plus(t: Time, seconds: i64, nanos: i64) -> Time {
    let day = i128::from(SECONDS_PER_DAY) * i128::from(NANOS_PER_SECOND);
    let now = i128::from(t.hour()) * 3_600_000_000_000
        + i128::from(t.minute()) * 60_000_000_000
        + i128::from(t.second()) * 1_000_000_000
        + i128::from(t.subsec_nanosecond());
    let n = (now + i128::from(seconds) * 1_000_000_000 + i128::from(nanos)).rem_euclid(day);
    let secs = (n / 1_000_000_000) as i64;
    Time::new(
        (secs / 3600) as i8,
        (secs / 60 % 60) as i8,
        (secs % 60) as i8,
        (n % 1_000_000_000) as i32,
    )
    .unwrap_or(Time::midnight())
}

/// `temporal + duration`: months, then days, then seconds and nanoseconds, each applied to
/// the fields the type has (a date takes whole days of the seconds; a time wraps at
/// midnight).
pub fn plus(t: &Value, d: &Duration) -> EvalResult {
    let nanos = i64::from(d.nanos);
    Ok(match t {
        Value::Date(date) => Value::Date(add_calendar(
            *date,
            d.months,
            d.days
                .checked_add(d.seconds / SECONDS_PER_DAY)
                .ok_or_else(overflow)?,
        )?),
        Value::LocalTime(time) => Value::LocalTime(time_plus(*time, d.seconds, nanos)),
        Value::Time(zt) => Value::Time(ZonedTime {
            time: time_plus(zt.time, d.seconds, nanos),
            offset: zt.offset,
        }),
        Value::LocalDateTime(dt) => {
            let date = add_calendar(dt.date(), d.months, d.days)?;
            Value::LocalDateTime(add_clock(date.to_datetime(dt.time()), d.seconds, nanos)?)
        }
        Value::DateTime(zdt) => {
            let date = add_calendar(zdt.local.date(), d.months, d.days)?;
            let local = date.to_datetime(zdt.local.time());
            let moved = match &zdt.zone {
                Some(name) => {
                    ZonedDateTime::of_local(local, Some(name), zdt.offset).map_err(zone_error)?
                }
                None => ZonedDateTime {
                    local,
                    offset: zdt.offset,
                    zone: None,
                },
            };
            // Seconds move the instant (a named zone may change its offset on the way).
            let ts = moved.timestamp().map_err(zone_error)?;
            let total = i128::from(d.seconds) * 1_000_000_000 + i128::from(nanos);
            let ts = ts
                .checked_add(jiff::SignedDuration::from_nanos_i128(total))
                .map_err(span_err)?;
            Value::DateTime(
                ZonedDateTime::at(ts, moved.zone.as_deref(), moved.offset).map_err(zone_error)?,
            )
        }
        other => return Err(bad_argument("+", "a temporal value", other)),
    })
}

/// `duration * n` and `duration / n`: exact for an integer factor, else Neo4j's
/// approximation (fractions spill into the smaller units).
pub fn scale_duration(d: &Duration, factor: f64, divide: bool) -> EvalResult {
    if !divide && factor.fract() == 0.0 && factor.abs() < 9.2e18 {
        let n = factor as i64;
        let mul = |x: i64| x.checked_mul(n).ok_or_else(overflow);
        return Duration::new(
            mul(d.months)?,
            mul(d.days)?,
            mul(d.seconds)?,
            i64::from(d.nanos).checked_mul(n).ok_or_else(overflow)?,
        )
        .map(Value::Duration)
        .map_err(|_| overflow());
    }
    let f = |x: i64| {
        if divide {
            x as f64 / factor
        } else {
            x as f64 * factor
        }
    };
    approximate(f(d.months), f(d.days), f(d.seconds), f(i64::from(d.nanos)))
        .map(Value::Duration)
        .ok_or_else(overflow)
}

/// `duration(text)` and `duration(map)`.
pub fn duration(args: &[Value]) -> EvalResult {
    match args {
        [Value::Null] => Ok(Value::Null),
        [Value::String(s)] => Duration::parse(s)
            .map(Value::Duration)
            .ok_or_else(|| EvalError::Argument("Text cannot be parsed to a Duration".into())),
        [Value::Map(m)] => duration_map(m),
        [Value::Duration(d)] => Ok(Value::Duration(*d)),
        [other] => Err(bad_argument("duration", "a String or Map", other)),
        _ => Err(invalid_argument("duration", "expected one argument")),
    }
}

fn duration_map(m: &BTreeMap<String, Value>) -> EvalResult {
    const UNITS: [(&str, f64, usize); 10] = [
        ("years", 12.0, 0),
        ("months", 1.0, 0),
        ("weeks", 7.0, 1),
        ("days", 1.0, 1),
        ("hours", 3600.0, 2),
        ("minutes", 60.0, 2),
        ("seconds", 1.0, 2),
        ("milliseconds", 1e6, 3),
        ("microseconds", 1e3, 3),
        ("nanoseconds", 1.0, 3),
    ];
    let mut exact = [0i64; 4];
    let mut approx = [0f64; 4];
    let mut all_ints = true;
    for (k, v) in m {
        let (_, factor, slot) = UNITS
            .iter()
            .find(|(name, _, _)| name == k)
            .ok_or_else(|| EvalError::Argument(format!("No such field: {k}")))?;
        match v {
            Value::Null => {}
            Value::Int(i) => {
                let add = i.checked_mul(*factor as i64).ok_or_else(overflow)?;
                exact[*slot] = exact[*slot].checked_add(add).ok_or_else(overflow)?;
                approx[*slot] += *i as f64 * factor;
            }
            Value::Float(f) => {
                all_ints = false;
                approx[*slot] += f * factor;
            }
            other => return Err(bad_argument("duration", "a number", other)),
        }
    }
    if all_ints {
        return Duration::new(exact[0], exact[1], exact[2], exact[3])
            .map(Value::Duration)
            .map_err(|_| overflow());
    }
    approximate(approx[0], approx[1], approx[2], approx[3])
        .map(Value::Duration)
        .ok_or_else(overflow)
}

/// What `duration.between` and its siblings compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Between {
    /// `duration.between`: months, days, then the rest.
    All,
    /// `duration.inMonths`.
    Months,
    /// `duration.inDays`.
    Days,
    /// `duration.inSeconds`.
    Seconds,
}

fn nanos_of_day(t: Time) -> i128 {
    i128::from(t.hour()) * 3_600_000_000_000
        + i128::from(t.minute()) * 60_000_000_000
        + i128::from(t.second()) * 1_000_000_000
        + i128::from(t.subsec_nanosecond())
}

/// Whole months from `a` to `b` as java.time counts them (a month is only complete when
/// its day and time of day are reached).
fn months_until(a: DateTime, b: DateTime) -> i64 {
    let (ad, bd) = (a.date(), b.date());
    let mut end = bd;
    if bd > ad && b.time() < a.time() {
        end = bd.yesterday().unwrap_or(bd);
    } else if bd < ad && b.time() > a.time() {
        end = bd.tomorrow().unwrap_or(bd);
    }
    let packed =
        |d: Date| (i64::from(d.year()) * 12 + i64::from(d.month()) - 1) * 32 + i64::from(d.day());
    (packed(end) - packed(ad)) / 32
}

fn days_until(a: DateTime, b: DateTime) -> i64 {
    let (ad, bd) = (a.date(), b.date());
    let mut end = bd;
    if bd > ad && b.time() < a.time() {
        end = bd.yesterday().unwrap_or(bd);
    } else if bd < ad && b.time() > a.time() {
        end = bd.tomorrow().unwrap_or(bd);
    }
    i64::from((end - ad).get_days()) + i64::from((end - ad).get_weeks()) * 7
}

/// `duration.between(a, b)` and `duration.inMonths/inDays/inSeconds(a, b)`.
pub fn between(what: Between, a: &Value, b: &Value) -> EvalResult {
    let name = "duration.between";
    if a.is_null() || b.is_null() {
        return Ok(Value::Null);
    }
    let pa = parts(a).ok_or_else(|| bad_argument(name, "a temporal value", a))?;
    let mut pb = parts(b).ok_or_else(|| bad_argument(name, "a temporal value", b))?;
    // Both zoned: the end is seen in the start's offset. One local: it is taken to be in
    // the other's zone.
    if let (Some(oa), Some(ob), Some(db), Some(tb)) = (pa.offset, pb.offset, pb.date, pb.time) {
        let ts = ob.to_timestamp(db.to_datetime(tb)).map_err(span_err)?;
        let local = oa.to_datetime(ts);
        pb.date = Some(local.date());
        pb.time = Some(local.time());
    } else if let (Some(oa), Some(ob), None, None, Some(ta), Some(tb)) =
        (pa.offset, pb.offset, pa.date, pb.date, pa.time, pb.time)
    {
        let shift = i64::from(oa.seconds() - ob.seconds());
        pb.time = Some(time_plus(tb, shift, 0));
        let _ = ta;
    }
    let ta = pa.time.unwrap_or(Time::midnight());
    let tb = pb.time.unwrap_or(Time::midnight());
    let (months, days, nanos) = match (pa.date, pb.date) {
        (Some(da), Some(db)) => {
            let (a, b) = (da.to_datetime(ta), db.to_datetime(tb));
            let months = if matches!(what, Between::All | Between::Months) {
                months_until(a, b)
            } else {
                0
            };
            if what == Between::Months {
                (months, 0, 0)
            } else {
                let moved = add_calendar(a.date(), months, 0)?.to_datetime(a.time());
                let days = if what == Between::Seconds {
                    0
                } else {
                    days_until(moved, b)
                };
                if what == Between::Days {
                    (0, days, 0)
                } else {
                    let from = add_calendar(moved.date(), 0, days)?.to_datetime(moved.time());
                    let n = b.duration_since(from).as_nanos();
                    (months, days, n)
                }
            }
        }
        _ if matches!(what, Between::Months | Between::Days) => (0, 0, 0),
        _ => (0, 0, nanos_of_day(tb) - nanos_of_day(ta)),
    };
    let secs = i64::try_from(nanos / i128::from(NANOS_PER_SECOND)).map_err(|_| overflow())?;
    let rest = (nanos % i128::from(NANOS_PER_SECOND)) as i64;
    Duration::new(months, days, secs, rest)
        .map(Value::Duration)
        .map_err(|_| overflow())
}

/// `temporal.key`.
pub fn component(v: &Value, key: &str) -> EvalResult {
    let p = parts(v).ok_or_else(|| bad_argument("component", "a temporal value", v))?;
    let none = || EvalError::Argument(format!("No such field: {key}"));
    let d = |p: &Parts| p.date.ok_or_else(none);
    let t = |p: &Parts| p.time.ok_or_else(none);
    let int = |i: i64| Ok(Value::Int(i));
    match key {
        "year" => int(i64::from(d(&p)?.year())),
        "quarter" => int((i64::from(d(&p)?.month()) - 1) / 3 + 1),
        "month" => int(i64::from(d(&p)?.month())),
        "week" => int(i64::from(d(&p)?.iso_week_date().week())),
        "weekYear" => int(i64::from(d(&p)?.iso_week_date().year())),
        "dayOfQuarter" => {
            let date = d(&p)?;
            let first = checked_date(
                i64::from(date.year()),
                (i64::from(date.month()) - 1) / 3 * 3 + 1,
                1,
            )
            .map_err(arg_error)?;
            int(i64::from((date - first).get_days()) + 1)
        }
        "day" => int(i64::from(d(&p)?.day())),
        "ordinalDay" => int(i64::from(d(&p)?.day_of_year())),
        "dayOfWeek" | "weekDay" => int(i64::from(d(&p)?.weekday().to_monday_one_offset())),
        "hour" => int(i64::from(t(&p)?.hour())),
        "minute" => int(i64::from(t(&p)?.minute())),
        "second" => int(i64::from(t(&p)?.second())),
        "millisecond" => int(i64::from(t(&p)?.subsec_nanosecond()) / 1_000_000),
        "microsecond" => int(i64::from(t(&p)?.subsec_nanosecond()) / 1000),
        "nanosecond" => int(i64::from(t(&p)?.subsec_nanosecond())),
        "timezone" => {
            let o = p.offset.ok_or_else(none)?;
            Ok(Value::String(
                p.zone.clone().unwrap_or_else(|| vt::offset_text(o)),
            ))
        }
        "offset" => Ok(Value::String(vt::offset_text(p.offset.ok_or_else(none)?))),
        "offsetMinutes" => int(i64::from(p.offset.ok_or_else(none)?.seconds()) / 60),
        "offsetSeconds" => int(i64::from(p.offset.ok_or_else(none)?.seconds())),
        "epochSeconds" | "epochMillis" => {
            let Value::DateTime(z) = v else {
                return Err(none());
            };
            let ts = z.timestamp().map_err(zone_error)?;
            int(if key == "epochSeconds" {
                ts.as_second()
            } else {
                ts.as_millisecond()
            })
        }
        _ => Err(none()),
    }
}

/// `duration.key`.
pub fn duration_component(d: &Duration, key: &str) -> EvalResult {
    let n = i64::from(d.nanos);
    Ok(Value::Int(match key {
        "years" => d.months / 12,
        "quarters" => d.months / 3,
        "months" => d.months,
        "weeks" => d.days / 7,
        "days" => d.days,
        "hours" => d.seconds / 3600,
        "minutes" => d.seconds / 60,
        "seconds" => d.seconds,
        "milliseconds" => d
            .seconds
            .checked_mul(1000)
            .and_then(|s| s.checked_add(n / 1_000_000))
            .ok_or_else(overflow)?,
        "microseconds" => d
            .seconds
            .checked_mul(1_000_000)
            .and_then(|s| s.checked_add(n / 1000))
            .ok_or_else(overflow)?,
        "nanoseconds" => d
            .seconds
            .checked_mul(NANOS_PER_SECOND)
            .and_then(|s| s.checked_add(n))
            .ok_or_else(overflow)?,
        "quartersOfYear" => d.months / 3 % 4,
        "monthsOfQuarter" => d.months % 3,
        "monthsOfYear" => d.months % 12,
        "daysOfWeek" => d.days % 7,
        "minutesOfHour" => d.seconds / 60 % 60,
        "secondsOfMinute" => d.seconds % 60,
        "millisecondsOfSecond" => n / 1_000_000,
        "microsecondsOfSecond" => n / 1000,
        "nanosecondsOfSecond" => n,
        _ => return Err(EvalError::Argument(format!("No such field: {key}"))),
    }))
}

/// `kind.truncate(unit, temporal[, map])`.
pub fn truncate(kind: Kind, args: &[Value], now: Timestamp) -> EvalResult {
    let name = format!("{}.truncate", kind.name());
    let (unit, v, over) = match args {
        [u, v] => (u, v, None),
        [u, v, m] => (u, v, Some(m)),
        _ => return Err(invalid_argument(&name, "expected two or three arguments")),
    };
    if v.is_null() || unit.is_null() {
        return Ok(Value::Null);
    }
    let Value::String(unit) = unit else {
        return Err(bad_argument(&name, "String", unit));
    };
    let p = parts(v).ok_or_else(|| bad_argument(&name, "a temporal value", v))?;
    let date = p.date;
    let time = p.time.unwrap_or(Time::midnight());
    let date_unit = matches!(
        unit.as_str(),
        "millennium"
            | "century"
            | "decade"
            | "year"
            | "weekYear"
            | "quarter"
            | "month"
            | "week"
            | "day"
    );
    if (date_unit || kind.has_date()) && date.is_none() && kind.has_date() {
        return Err(invalid_argument(
            &name,
            format!("cannot truncate a value without a date to {unit}"),
        ));
    }
    let date = date.unwrap_or_else(|| civil::date(1970, 1, 1));
    let y = i64::from(date.year());
    let cd = |y: i64, m: i64, d: i64| checked_date(y, m, d).map_err(arg_error);
    let (nd, nt) = match unit.as_str() {
        "millennium" => (cd(y.div_euclid(1000) * 1000, 1, 1)?, Time::midnight()),
        "century" => (cd(y.div_euclid(100) * 100, 1, 1)?, Time::midnight()),
        "decade" => (cd(y.div_euclid(10) * 10, 1, 1)?, Time::midnight()),
        "year" => (cd(y, 1, 1)?, Time::midnight()),
        "weekYear" => (
            parse::week_date(i64::from(date.iso_week_date().year()), 1, 1).map_err(arg_error)?,
            Time::midnight(),
        ),
        "quarter" => (
            cd(y, (i64::from(date.month()) - 1) / 3 * 3 + 1, 1)?,
            Time::midnight(),
        ),
        "month" => (cd(y, i64::from(date.month()), 1)?, Time::midnight()),
        "week" => (
            add_calendar(date, 0, -i64::from(date.weekday().to_monday_zero_offset()))?,
            Time::midnight(),
        ),
        "day" => (date, Time::midnight()),
        "hour" => (date, Time::new(time.hour(), 0, 0, 0).map_err(span_err)?),
        "minute" => (
            date,
            Time::new(time.hour(), time.minute(), 0, 0).map_err(span_err)?,
        ),
        "second" => (
            date,
            time.with().subsec_nanosecond(0).build().map_err(span_err)?,
        ),
        "millisecond" => (
            date,
            time.with()
                .subsec_nanosecond(time.subsec_nanosecond() / 1_000_000 * 1_000_000)
                .build()
                .map_err(span_err)?,
        ),
        "microsecond" => (
            date,
            time.with()
                .subsec_nanosecond(time.subsec_nanosecond() / 1000 * 1000)
                .build()
                .map_err(span_err)?,
        ),
        other => {
            return Err(EvalError::Argument(format!("Unsupported unit: {other}")));
        }
    };
    if !kind.has_time() && !date_unit {
        return Err(EvalError::Argument(format!("Unsupported unit: {unit}")));
    }
    let mut m = match over {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Map(m)) => m.clone(),
        Some(other) => return Err(bad_argument(&name, "a Map", other)),
    };
    let base = build(
        Kind::DateTime,
        nd,
        nt,
        p.offset.unwrap_or(Offset::UTC),
        p.zone.clone(),
    );
    m.insert("datetime".into(), base);
    if kind.zoned() && p.offset.is_none() && !m.contains_key("timezone") {
        m.insert("timezone".into(), Value::str("Z"));
    }
    from_map(kind, &m, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-11-21T10:15:30.123Z".parse().unwrap()
    }

    fn text(v: EvalResult) -> String {
        match v {
            Ok(v) => v.to_string(),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn constructors() {
        let s = |k: Kind, t: &str| text(construct(k, &[Value::str(t)], now()));
        assert_eq!(s(Kind::Date, "2015-W30-2"), "2015-07-21");
        assert_eq!(s(Kind::Time, "02:00"), "02:00Z");
        assert_eq!(s(Kind::LocalTime, "12:00"), "12:00");
        assert_eq!(
            s(Kind::DateTime, "2023-03-21T11:17:15.1Z"),
            "2023-03-21T11:17:15.100Z"
        );
        assert_eq!(
            s(Kind::DateTime, "2015-07-21T21:40:32.142[Europe/London]"),
            "2015-07-21T21:40:32.142+01:00[Europe/London]"
        );
        assert_eq!(
            text(construct(Kind::DateTime, &[], now())),
            "2026-11-21T10:15:30.123Z"
        );
        assert_eq!(text(construct(Kind::Date, &[], now())), "2026-11-21");
        assert_eq!(
            s(Kind::Date, "nope"),
            "error: Text cannot be parsed to a Date"
        );
    }

    #[test]
    fn maps_and_truncation_as_cypher_shells_tests_show() {
        let mut m = BTreeMap::new();
        for (k, v) in [("year", 2023), ("month", 2), ("day", 6), ("hour", 2)] {
            m.insert(k.to_string(), Value::Int(v));
        }
        m.insert("timezone".into(), Value::str("America/Chicago"));
        let dt = construct(Kind::DateTime, &[Value::Map(m)], now()).unwrap();
        assert_eq!(dt.to_string(), "2023-02-06T02:00-06:00[America/Chicago]");
        let t = truncate(Kind::DateTime, &[Value::str("day"), dt], now()).unwrap();
        assert_eq!(t.to_string(), "2023-02-06T00:00-06:00[America/Chicago]");
        let mut bad = BTreeMap::new();
        bad.insert("yaer".to_string(), Value::Int(1));
        assert_eq!(
            text(construct(Kind::Date, &[Value::Map(bad)], now())),
            "error: No such field: yaer"
        );
    }

    #[test]
    fn durations_and_arithmetic() {
        let d = |t: &str| Duration::parse(t).unwrap();
        let date = Value::Date(civil::date(2024, 1, 31));
        assert_eq!(plus(&date, &d("P1M")).unwrap().to_string(), "2024-02-29");
        assert_eq!(plus(&date, &d("PT47H")).unwrap().to_string(), "2024-02-01");
        let lt = Value::LocalTime(civil::time(23, 0, 0, 0));
        assert_eq!(plus(&lt, &d("PT2H")).unwrap().to_string(), "01:00");
        let mut m = BTreeMap::new();
        m.insert("days".into(), Value::Float(1.5));
        assert_eq!(text(duration(&[Value::Map(m)])), "P1DT12H");
        let a = Value::Date(civil::date(2020, 1, 31));
        let b = Value::Date(civil::date(2021, 3, 1));
        assert_eq!(text(between(Between::All, &a, &b)), "P1Y1M1D");
        assert_eq!(text(between(Between::Days, &a, &b)), "P395D");
        let x = Value::LocalDateTime(civil::date(2020, 1, 1).at(12, 0, 0, 0));
        let y = Value::LocalDateTime(civil::date(2020, 1, 2).at(11, 0, 0, 0));
        assert_eq!(text(between(Between::All, &x, &y)), "PT23H");
        assert_eq!(text(between(Between::Seconds, &x, &y)), "PT23H");
        assert_eq!(text(scale_duration(&d("PT1H"), 0.5, false)), "PT30M");
        assert_eq!(text(scale_duration(&d("P1D"), 2.0, true)), "PT12H");
    }

    #[test]
    fn components() {
        let dt = construct(
            Kind::DateTime,
            &[Value::str("2015-07-21T21:40:32.142+01:00")],
            now(),
        )
        .unwrap();
        let c = |k: &str| text(component(&dt, k));
        assert_eq!(c("year"), "2015");
        assert_eq!(c("week"), "30");
        assert_eq!(c("dayOfWeek"), "2");
        assert_eq!(c("ordinalDay"), "202");
        assert_eq!(c("millisecond"), "142");
        assert_eq!(c("timezone"), "\"+01:00\"");
        assert_eq!(c("epochSeconds"), "1437511232");
        assert_eq!(c("dayOfQuarter"), "21");
        let d = Duration::parse("P1Y2M10DT12H45M30.25S").unwrap();
        assert_eq!(text(duration_component(&d, "months")), "14");
        assert_eq!(text(duration_component(&d, "minutesOfHour")), "45");
        assert_eq!(text(duration_component(&d, "milliseconds")), "45930250");
    }
}
