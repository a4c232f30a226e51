//! Cypher's POINT: 2D or 3D coordinates in one of Neo4j's four coordinate reference
//! systems, named by SRID.
//!
//! It owns the representation, the CRS table (SRID, name, dimensions, geographic or not),
//! cypher-shell's rendering (`point({srid:4326, x:1.0, y:2.0})`) and the WKT text the Query
//! API uses (`SRID=4326;POINT (1.0 2.0)`) both ways. Building points from maps and
//! `point.distance` are the evaluator's.

use super::java_double;
use std::fmt;

/// A point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// The coordinate reference system's SRID: 7203, 9157, 4326 or 4979.
    pub srid: u32,
    /// x, or longitude.
    pub x: f64,
    /// y, or latitude.
    pub y: f64,
    /// z, or height; `None` for a 2D point.
    pub z: Option<f64>,
}

/// One of Neo4j's coordinate reference systems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crs {
    /// Its SRID.
    pub srid: u32,
    /// Its name in Cypher (`cartesian`, `cartesian-3d`, `wgs-84`, `wgs-84-3d`).
    pub name: &'static str,
    /// 2 or 3.
    pub dimensions: u8,
    /// True for WGS-84 (longitude, latitude, height).
    pub geographic: bool,
}

/// The four coordinate reference systems.
pub const CRSES: [Crs; 4] = [
    Crs {
        srid: 7203,
        name: "cartesian",
        dimensions: 2,
        geographic: false,
    },
    Crs {
        srid: 9157,
        name: "cartesian-3d",
        dimensions: 3,
        geographic: false,
    },
    Crs {
        srid: 4326,
        name: "wgs-84",
        dimensions: 2,
        geographic: true,
    },
    Crs {
        srid: 4979,
        name: "wgs-84-3d",
        dimensions: 3,
        geographic: true,
    },
];

impl Crs {
    /// The CRS with this SRID.
    pub fn by_srid(srid: i64) -> Option<Crs> {
        CRSES.into_iter().find(|c| i64::from(c.srid) == srid)
    }

    /// The CRS with this name (case-insensitive).
    pub fn by_name(name: &str) -> Option<Crs> {
        CRSES
            .into_iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
}

impl Point {
    /// The point's CRS.
    pub fn crs(&self) -> Crs {
        Crs::by_srid(i64::from(self.srid)).unwrap_or(CRSES[0])
    }

    /// The WKT text of the Query API: `SRID=7203;POINT (1.2 3.4)`, `SRID=9157;POINT Z (1.0 2.0 3.0)`.
    pub fn wkt(&self) -> String {
        match self.z {
            None => format!(
                "SRID={};POINT ({} {})",
                self.srid,
                java_double(self.x),
                java_double(self.y)
            ),
            Some(z) => format!(
                "SRID={};POINT Z ({} {} {})",
                self.srid,
                java_double(self.x),
                java_double(self.y),
                java_double(z)
            ),
        }
    }

    /// Reads the WKT text `wkt()` writes (the `Z` is optional when three coordinates are
    /// given); `None` when it is not a point of a known CRS with the right dimensions.
    pub fn parse_wkt(text: &str) -> Option<Point> {
        let (srid, rest) = text.trim().split_once(';')?;
        let srid = srid
            .trim()
            .strip_prefix("SRID=")?
            .trim()
            .parse::<i64>()
            .ok()?;
        let crs = Crs::by_srid(srid)?;
        let rest = rest.trim().strip_prefix("POINT")?.trim_start();
        let rest = rest.strip_prefix('Z').unwrap_or(rest).trim_start();
        let inner = rest.strip_prefix('(')?.strip_suffix(')')?;
        let coords: Vec<f64> = inner
            .split_whitespace()
            .map(|c| c.parse::<f64>().ok())
            .collect::<Option<_>>()?;
        match (coords.as_slice(), crs.dimensions) {
            ([x, y], 2) => Some(Point {
                srid: crs.srid,
                x: *x,
                y: *y,
                z: None,
            }),
            ([x, y, z], 3) => Some(Point {
                srid: crs.srid,
                x: *x,
                y: *y,
                z: Some(*z),
            }),
            _ => None,
        }
    }
}

impl fmt::Display for Point {
    /// cypher-shell's rendering: `point({srid:4326, x:1.0, y:2.0[, z:3.0]})`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "point({{srid:{}, x:{}, y:{}",
            self.srid,
            java_double(self.x),
            java_double(self.y)
        )?;
        if let Some(z) = self.z {
            write!(f, ", z:{}", java_double(z))?;
        }
        f.write_str("})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_reads_wkt() {
        let p = Point {
            srid: 4326,
            x: 1.7,
            y: 26.79,
            z: Some(34.23),
        };
        assert_eq!(p.to_string(), "point({srid:4326, x:1.7, y:26.79, z:34.23})");
        assert_eq!(p.wkt(), "SRID=4326;POINT Z (1.7 26.79 34.23)");
        // 4326 is 2D: three coordinates do not fit it.
        assert_eq!(Point::parse_wkt(&p.wkt()), None);
        let q = Point { srid: 9157, ..p };
        assert_eq!(Point::parse_wkt(&q.wkt()), Some(q));
        let c = Point {
            srid: 7203,
            x: 1.0,
            y: 2.0,
            z: None,
        };
        assert_eq!(c.to_string(), "point({srid:7203, x:1.0, y:2.0})");
        assert_eq!(Point::parse_wkt("SRID=7203;POINT (1.0 2.0)"), Some(c));
        assert_eq!(Point::parse_wkt("SRID=1;POINT (1.0 2.0)"), None);
    }
}
