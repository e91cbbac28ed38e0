//! Where a record happened: a GeoJSON point or polygon (RFC 7946), and the
//! bounding boxes searches filter by.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A longitude–latitude pair in decimal degrees (RFC 7946 order: longitude
/// first).
pub type Position = [f64; 2];

/// A record's location: a GeoJSON `Point` or `Polygon`.
///
/// Construct through [`Geometry::validate`]-checked parsing; coordinates
/// must be finite and in range, and polygon rings closed with at least four
/// positions (RFC 7946 §3.1.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", deny_unknown_fields)]
pub enum Geometry {
    /// A single position.
    Point {
        /// `[longitude, latitude]`.
        coordinates: Position,
    },
    /// An outer ring and optional holes, each closed.
    Polygon {
        /// Rings of `[longitude, latitude]` positions.
        coordinates: Vec<Vec<Position>>,
    },
}

/// Why a geometry or bounding box is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeometryError {
    /// A coordinate outside −180..180 / −90..90 or not a number.
    #[error("position {index} ({lon}, {lat}) is outside longitude -180..180 / latitude -90..90")]
    OutOfRange {
        /// Which position (0-based, counting through all rings).
        index: usize,
        /// The longitude as given.
        lon: String,
        /// The latitude as given.
        lat: String,
    },
    /// A polygon without rings.
    #[error("a polygon needs at least one ring")]
    NoRings,
    /// A ring with fewer than four positions or whose ends differ.
    #[error("ring {0} must have at least four positions and end where it starts")]
    OpenRing(usize),
    /// Bounding-box text that is not `west,south,east,north`.
    #[error("a bounding box is west,south,east,north in degrees, e.g. 95,-10,141,25; got {0:?}")]
    BadBoundingBox(String),
}

impl Geometry {
    /// A point at `lon`, `lat`, checked.
    pub fn point(lon: f64, lat: f64) -> Result<Geometry, GeometryError> {
        let g = Geometry::Point {
            coordinates: [lon, lat],
        };
        g.validate()?;
        Ok(g)
    }

    /// Checks ranges and ring closure.
    pub fn validate(&self) -> Result<(), GeometryError> {
        match self {
            Geometry::Point { coordinates } => check_position(0, coordinates),
            Geometry::Polygon { coordinates } => {
                if coordinates.is_empty() {
                    return Err(GeometryError::NoRings);
                }
                let mut index = 0;
                for (r, ring) in coordinates.iter().enumerate() {
                    for p in ring {
                        check_position(index, p)?;
                        index += 1;
                    }
                    if ring.len() < 4 || ring.first() != ring.last() {
                        return Err(GeometryError::OpenRing(r));
                    }
                }
                Ok(())
            }
        }
    }

    /// The smallest box holding the geometry.
    pub fn bounding_box(&self) -> BoundingBox {
        match self {
            Geometry::Point {
                coordinates: [x, y],
            } => BoundingBox {
                west: *x,
                south: *y,
                east: *x,
                north: *y,
            },
            Geometry::Polygon { coordinates } => {
                let mut b = BoundingBox {
                    west: f64::INFINITY,
                    south: f64::INFINITY,
                    east: f64::NEG_INFINITY,
                    north: f64::NEG_INFINITY,
                };
                for [x, y] in coordinates.iter().flatten() {
                    b.west = b.west.min(*x);
                    b.south = b.south.min(*y);
                    b.east = b.east.max(*x);
                    b.north = b.north.max(*y);
                }
                b
            }
        }
    }

    /// A representative position: the point itself, or the centre of a
    /// polygon's bounding box (what STIX `location` and map markers need).
    pub fn anchor(&self) -> Position {
        match self {
            Geometry::Point { coordinates } => *coordinates,
            Geometry::Polygon { .. } => {
                let b = self.bounding_box();
                [(b.west + b.east) / 2.0, (b.south + b.north) / 2.0]
            }
        }
    }

    /// Whether the geometry touches `area` (a polygon filter): a point
    /// inside it, or a polygon with a vertex inside it or containing one of
    /// its vertices. Good enough for search; not a full intersection test
    /// for crossing polygons without shared vertices.
    pub fn touches(&self, area: &Geometry) -> bool {
        match (self, area) {
            (Geometry::Point { coordinates }, _) => area.contains(*coordinates),
            (Geometry::Polygon { coordinates }, _) => {
                coordinates.iter().flatten().any(|p| area.contains(*p))
                    || match area {
                        Geometry::Point { coordinates } => self.contains(*coordinates),
                        Geometry::Polygon { coordinates: rings } => {
                            rings.iter().flatten().any(|p| self.contains(*p))
                        }
                    }
            }
        }
    }

    /// Whether `p` lies inside the polygon (outer ring minus holes), by ray
    /// casting; a point geometry contains only itself.
    pub fn contains(&self, p: Position) -> bool {
        match self {
            Geometry::Point { coordinates } => *coordinates == p,
            Geometry::Polygon { coordinates } => {
                let mut rings = coordinates.iter();
                let Some(outer) = rings.next() else {
                    return false;
                };
                ring_contains(outer, p) && !rings.any(|hole| ring_contains(hole, p))
            }
        }
    }
}

fn ring_contains(ring: &[Position], [x, y]: Position) -> bool {
    let mut inside = false;
    for pair in ring.windows(2) {
        let ([x1, y1], [x2, y2]) = (pair[0], pair[1]);
        if (y1 > y) != (y2 > y) && x < (x2 - x1) * (y - y1) / (y2 - y1) + x1 {
            inside = !inside;
        }
    }
    inside
}

fn check_position(index: usize, [lon, lat]: &Position) -> Result<(), GeometryError> {
    if (-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat) {
        Ok(())
    } else {
        Err(GeometryError::OutOfRange {
            index,
            lon: lon.to_string(),
            lat: lat.to_string(),
        })
    }
}

/// A west–south–east–north box in degrees. Boxes do not wrap the
/// antimeridian: west ≤ east.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BoundingBox {
    /// Least longitude.
    pub west: f64,
    /// Least latitude.
    pub south: f64,
    /// Greatest longitude.
    pub east: f64,
    /// Greatest latitude.
    pub north: f64,
}

impl BoundingBox {
    /// Whether two boxes share any point.
    pub fn intersects(&self, other: &BoundingBox) -> bool {
        self.west <= other.east
            && other.west <= self.east
            && self.south <= other.north
            && other.south <= self.north
    }
}

impl FromStr for BoundingBox {
    type Err = GeometryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || GeometryError::BadBoundingBox(s.to_owned());
        let parts: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        let [west, south, east, north] = parts[..] else {
            return Err(bad());
        };
        let in_range =
            |lon: f64, lat: f64| (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat);
        if !in_range(west, south) || !in_range(east, north) || west > east || south > north {
            return Err(bad());
        }
        Ok(BoundingBox {
            west,
            south,
            east,
            north,
        })
    }
}

impl fmt::Display for BoundingBox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{},{},{},{}",
            self.west, self.south, self.east, self.north
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square() -> Geometry {
        Geometry::Polygon {
            coordinates: vec![vec![
                [100.0, 0.0],
                [110.0, 0.0],
                [110.0, 10.0],
                [100.0, 10.0],
                [100.0, 0.0],
            ]],
        }
    }

    #[test]
    fn polygons_contain_points_inside_only() {
        let sq = square();
        assert!(sq.validate().is_ok());
        assert!(sq.contains([105.0, 5.0]));
        assert!(!sq.contains([111.0, 5.0]));
        assert!(Geometry::point(105.0, 5.0).unwrap().touches(&sq));
        assert!(!Geometry::point(95.0, 5.0).unwrap().touches(&sq));
    }

    #[test]
    fn bad_geometries_are_named() {
        assert!(matches!(
            Geometry::point(200.0, 0.0),
            Err(GeometryError::OutOfRange { index: 0, .. })
        ));
        assert!(Geometry::point(f64::NAN, 0.0).is_err());
        let open = Geometry::Polygon {
            coordinates: vec![vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]]],
        };
        assert_eq!(open.validate(), Err(GeometryError::OpenRing(0)));
        let err = serde_json::from_str::<Geometry>(r#"{"type":"Line","coordinates":[]}"#);
        assert!(err.is_err());
    }

    #[test]
    fn bounding_boxes_parse_and_intersect() {
        let b: BoundingBox = "95,-10,141,25".parse().unwrap();
        assert!(b.intersects(&square().bounding_box()));
        assert!("95,-10,141".parse::<BoundingBox>().is_err());
        assert!("141,-10,95,25".parse::<BoundingBox>().is_err());
        assert!("a,b,c,d".parse::<BoundingBox>().is_err());
    }
}
