//! Positions, areas and great-circle distance.
//!
//! Areas follow GeoJSON's shapes and its coordinate order, `[longitude,
//! latitude]`, so an area can be pasted from a GeoJSON file. The planner only
//! needs an area's centroid (to measure transit distance) and a
//! point-in-polygon test (for pledges that exclude areas).

use serde::Serialize;

/// Mean Earth radius in kilometres (IUGG), the usual haversine constant.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A position in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LatLon {
    /// Latitude, −90..=90.
    pub lat: f64,
    /// Longitude, −180..=180.
    pub lon: f64,
}

impl LatLon {
    /// A position, checked to be on the globe.
    pub fn new(lat: f64, lon: f64) -> Result<LatLon, String> {
        if !(lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(format!("latitude {lat} is outside -90..90"));
        }
        if !(lon.is_finite() && (-180.0..=180.0).contains(&lon)) {
            return Err(format!("longitude {lon} is outside -180..180"));
        }
        Ok(LatLon { lat, lon })
    }

    /// Great-circle distance in kilometres (haversine).
    pub fn distance_km(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

/// The shape of an area.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "coordinates")]
pub enum Shape {
    /// One position.
    Point(LatLon),
    /// A simple polygon: the outer ring only, at least three distinct
    /// vertices; the closing vertex may be repeated or not.
    Polygon(Vec<LatLon>),
}

/// A named area: an operation's area of operations, or an area a pledge
/// excludes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Area {
    /// A name, matched case-insensitively by pledges that exclude areas by name.
    pub name: String,
    /// The shape.
    pub shape: Shape,
}

impl Area {
    /// A point area.
    pub fn point(name: &str, at: LatLon) -> Area {
        Area {
            name: name.to_owned(),
            shape: Shape::Point(at),
        }
    }

    /// Checks the shape: a polygon needs three distinct vertices and a
    /// non-zero area (a degenerate polygon has no inside to exclude or reach).
    pub fn validate(&self) -> Result<(), String> {
        match &self.shape {
            Shape::Point(_) => Ok(()),
            Shape::Polygon(ring) => {
                let ring = open_ring(ring);
                if ring.len() < 3 {
                    return Err(format!(
                        "area {:?}: a polygon needs at least 3 vertices, found {}",
                        self.name,
                        ring.len()
                    ));
                }
                if signed_area(ring).abs() < 1e-12 {
                    return Err(format!("area {:?}: the polygon has no area", self.name));
                }
                Ok(())
            }
        }
    }

    /// The point distances are measured to: the point itself, or the
    /// polygon's area centroid (planar in degrees, which is accurate enough
    /// for the few-hundred-kilometre areas operations cover).
    pub fn centroid(&self) -> LatLon {
        match &self.shape {
            Shape::Point(p) => *p,
            Shape::Polygon(ring) => {
                let ring = open_ring(ring);
                let a = signed_area(ring);
                let (mut cx, mut cy) = (0.0, 0.0);
                for i in 0..ring.len() {
                    let (p, q) = (ring[i], ring[(i + 1) % ring.len()]);
                    let cross = p.lon * q.lat - q.lon * p.lat;
                    cx += (p.lon + q.lon) * cross;
                    cy += (p.lat + q.lat) * cross;
                }
                LatLon {
                    lat: cy / (6.0 * a),
                    lon: cx / (6.0 * a),
                }
            }
        }
    }

    /// Whether `p` lies in the area (a point area contains only itself,
    /// within 1 km).
    pub fn contains(&self, p: LatLon) -> bool {
        match &self.shape {
            Shape::Point(q) => q.distance_km(p) <= 1.0,
            Shape::Polygon(ring) => {
                // Even-odd ray casting along increasing longitude.
                let ring = open_ring(ring);
                let mut inside = false;
                let mut j = ring.len() - 1;
                for i in 0..ring.len() {
                    let (a, b) = (ring[i], ring[j]);
                    if (a.lat > p.lat) != (b.lat > p.lat)
                        && p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon
                    {
                        inside = !inside;
                    }
                    j = i;
                }
                inside
            }
        }
    }

    /// Whether two areas overlap: used for a pledge that excludes an area,
    /// which is honoured if the operation's area touches it at all. Tested
    /// by vertices and centroids, which suffices for the convex, similar-sized
    /// areas data files use.
    pub fn overlaps(&self, other: &Area) -> bool {
        let vertices = |a: &Area| match &a.shape {
            Shape::Point(p) => vec![*p],
            Shape::Polygon(r) => open_ring(r).to_vec(),
        };
        self.contains(other.centroid())
            || other.contains(self.centroid())
            || vertices(other).into_iter().any(|v| self.contains(v))
            || vertices(self).into_iter().any(|v| other.contains(v))
    }
}

fn open_ring(ring: &[LatLon]) -> &[LatLon] {
    match ring {
        [first, .., last] if first == last => &ring[..ring.len() - 1],
        _ => ring,
    }
}

fn signed_area(ring: &[LatLon]) -> f64 {
    let mut a = 0.0;
    for i in 0..ring.len() {
        let (p, q) = (ring[i], ring[(i + 1) % ring.len()]);
        a += p.lon * q.lat - q.lon * p.lat;
    }
    a / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_known_distance() {
        // Singapore Changi to Yangon is about 1,900 km.
        let sin = LatLon::new(1.36, 103.99).unwrap();
        let rgn = LatLon::new(16.91, 96.13).unwrap();
        let d = sin.distance_km(rgn);
        assert!((1800.0..2000.0).contains(&d), "{d}");
        assert_eq!(sin.distance_km(sin), 0.0);
    }

    #[test]
    fn square_centroid_and_containment() {
        let sq = Area {
            name: "sq".into(),
            shape: Shape::Polygon(vec![
                LatLon { lat: 0.0, lon: 0.0 },
                LatLon { lat: 0.0, lon: 2.0 },
                LatLon { lat: 2.0, lon: 2.0 },
                LatLon { lat: 2.0, lon: 0.0 },
                LatLon { lat: 0.0, lon: 0.0 },
            ]),
        };
        sq.validate().unwrap();
        let c = sq.centroid();
        assert!((c.lat - 1.0).abs() < 1e-9 && (c.lon - 1.0).abs() < 1e-9);
        assert!(sq.contains(c));
        assert!(!sq.contains(LatLon { lat: 3.0, lon: 1.0 }));
    }

    #[test]
    fn degenerate_polygons_are_refused() {
        let line = Area {
            name: "line".into(),
            shape: Shape::Polygon(vec![
                LatLon { lat: 0.0, lon: 0.0 },
                LatLon { lat: 1.0, lon: 1.0 },
                LatLon { lat: 2.0, lon: 2.0 },
            ]),
        };
        assert!(line.validate().unwrap_err().contains("no area"));
        let two = Area {
            name: "two".into(),
            shape: Shape::Polygon(vec![LatLon { lat: 0.0, lon: 0.0 }]),
        };
        assert!(two.validate().is_err());
    }
}
