//! Distances on the Earth, a coarse land mask for distance-to-shore, and
//! port points.
//!
//! Distances use the haversine formula on a sphere of the mean Earth
//! radius: at the few-kilometre scales the detectors care about its error
//! (under 0.5 %) is far below AIS position noise.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use geo::{BoundingRect, Contains, MultiPolygon, Point, Polygon, Rect};

use crate::Error;

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// One nautical mile in metres.
pub const NM: f64 = 1852.0;
/// One knot in metres per millisecond.
pub(crate) const KNOT_M_PER_MS: f64 = NM / 3_600_000.0;

/// Great-circle distance in metres between two points in degrees.
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Metres per degree of latitude.
pub(crate) const M_PER_DEG: f64 = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;

/// Distance in metres from `(lat, lon)` to the segment `a`–`b` (each
/// `[lon, lat]`), in an equirectangular projection centred on the point:
/// good to a fraction of a percent within a few hundred kilometres.
fn segment_distance_m(lat: f64, lon: f64, seg: &[f32; 4]) -> f64 {
    let k = lat.to_radians().cos() * M_PER_DEG;
    let wrap = |d: f64| {
        if d > 180.0 {
            d - 360.0
        } else if d < -180.0 {
            d + 360.0
        } else {
            d
        }
    };
    let ax = wrap(f64::from(seg[0]) - lon) * k;
    let ay = (f64::from(seg[1]) - lat) * M_PER_DEG;
    let bx = wrap(f64::from(seg[2]) - lon) * k;
    let by = (f64::from(seg[3]) - lat) * M_PER_DEG;
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (px, py) = (ax + t * dx, ay + t * dy);
    (px * px + py * py).sqrt()
}

/// Land polygons with an index for distance-to-shore queries.
///
/// Built from GeoJSON (any Polygon or MultiPolygon features). Distance is
/// measured to the nearest polygon edge; points inside a polygon are at
/// distance 0. Interior borders between countries do no harm: every edge
/// lies on land, so the nearest edge to a point at sea is on the coast.
#[derive(Debug)]
pub struct LandMask {
    polygons: Vec<(Rect<f64>, Polygon<f64>)>,
    /// Edges `[lon1, lat1, lon2, lat2]` bucketed by the 1° cells their
    /// bounding boxes touch; f32 is ample at 110m-scale resolution.
    cells: HashMap<(i32, i32), Vec<[f32; 4]>>,
}

/// The embedded Natural Earth 1:110m land outline (see data/mda/README.md).
const NATURAL_EARTH_110M: &str = include_str!("../../../data/mda/land-110m.geojson");

impl LandMask {
    /// Parses land polygons from a GeoJSON FeatureCollection, Feature or
    /// geometry; features that are not polygons are ignored.
    pub fn parse_geojson(text: &str) -> Result<LandMask, Error> {
        let mut polygons = Vec::new();
        for (_, geom) in crate::zones::polygons_from_geojson(text)? {
            polygons.extend(geom.0);
        }
        Ok(LandMask::from_polygons(polygons))
    }

    /// The land outline of Natural Earth's 1:110m countries (public
    /// domain), embedded in the crate; parsed once per process.
    pub fn natural_earth_110m() -> Arc<LandMask> {
        static MASK: OnceLock<Arc<LandMask>> = OnceLock::new();
        MASK.get_or_init(|| {
            // The embedded file is checked by a unit test, so this cannot fail.
            Arc::new(
                LandMask::parse_geojson(NATURAL_EARTH_110M).expect("embedded land mask parses"),
            )
        })
        .clone()
    }

    /// A mask from polygons in degrees (x = longitude, y = latitude).
    pub fn from_polygons(polys: Vec<Polygon<f64>>) -> LandMask {
        let mut cells: HashMap<(i32, i32), Vec<[f32; 4]>> = HashMap::new();
        let mut polygons = Vec::with_capacity(polys.len());
        for poly in polys {
            let Some(rect) = poly.bounding_rect() else {
                continue;
            };
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for line in ring.lines() {
                    let seg = [
                        line.start.x as f32,
                        line.start.y as f32,
                        line.end.x as f32,
                        line.end.y as f32,
                    ];
                    let (x0, x1) = (line.start.x.min(line.end.x), line.start.x.max(line.end.x));
                    let (y0, y1) = (line.start.y.min(line.end.y), line.start.y.max(line.end.y));
                    for cx in x0.floor() as i32..=x1.floor() as i32 {
                        for cy in y0.floor() as i32..=y1.floor() as i32 {
                            cells.entry((cx, cy)).or_default().push(seg);
                        }
                    }
                }
            }
            polygons.push((rect, poly));
        }
        LandMask { polygons, cells }
    }

    /// Number of polygons.
    pub fn len(&self) -> usize {
        self.polygons.len()
    }

    /// Whether the mask has no polygons.
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }

    /// Whether the point is on land.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        let p = Point::new(lon, lat);
        self.polygons.iter().any(|(r, poly)| {
            lon >= r.min().x
                && lon <= r.max().x
                && lat >= r.min().y
                && lat <= r.max().y
                && poly.contains(&p)
        })
    }

    /// Distance in metres from the point to the nearest land, or `limit_m`
    /// if no land is closer than that (the search stops there, which keeps
    /// queries in open ocean cheap).
    pub fn distance_m(&self, lat: f64, lon: f64, limit_m: f64) -> f64 {
        if self.contains(lat, lon) {
            return 0.0;
        }
        let cos = lat.to_radians().cos().max(0.01);
        let ry = (limit_m / M_PER_DEG).ceil() as i32;
        let rx = ((limit_m / (M_PER_DEG * cos)).ceil() as i32).min(180);
        let (cx, cy) = (lon.floor() as i32, lat.floor() as i32);
        let mut best = limit_m;
        for dy in -ry..=ry {
            for dx in -rx..=rx {
                let mut x = cx + dx;
                if x < -180 {
                    x += 360;
                } else if x >= 180 {
                    x -= 360;
                }
                if let Some(segs) = self.cells.get(&(x, cy + dy)) {
                    for s in segs {
                        best = best.min(segment_distance_m(lat, lon, s));
                    }
                }
            }
        }
        best
    }
}

/// A port or anchorage: encounters near one are routine, not suspicious.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Port {
    /// Name (may be empty).
    pub name: String,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

impl Port {
    /// Parses ports from CSV with a header naming at least `lat` and `lon`
    /// columns (and optionally `name`), as in World Port Index extracts.
    pub fn parse_csv(text: &str) -> Result<Vec<Port>, Error> {
        let mut rdr = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = rdr
            .headers()
            .map_err(|e| Error::csv(0, e.to_string()))?
            .clone();
        let col = |n: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(n));
        let (Some(lat_i), Some(lon_i)) = (col("lat"), col("lon")) else {
            return Err(Error::csv(1, "ports need lat and lon columns".into()));
        };
        let name_i = col("name");
        let mut out = Vec::new();
        for (i, rec) in rdr.records().enumerate() {
            let line = i + 2;
            let rec = rec.map_err(|e| Error::csv(line, e.to_string()))?;
            let num = |k: usize| {
                rec.get(k)
                    .and_then(|s| s.parse::<f64>().ok())
                    .ok_or_else(|| Error::csv(line, "bad coordinate".into()))
            };
            let (lat, lon) = (num(lat_i)?, num(lon_i)?);
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(Error::csv(line, "coordinate out of range".into()));
            }
            let name = name_i
                .and_then(|k| rec.get(k))
                .unwrap_or_default()
                .to_owned();
            out.push(Port { name, lat, lon });
        }
        Ok(out)
    }
}

/// Ports bucketed by 0.5° cells for "is any port within r" queries.
#[derive(Debug, Default)]
pub(crate) struct PortIndex {
    cells: HashMap<(i32, i32), Vec<(f64, f64)>>,
}

const PORT_CELL_DEG: f64 = 0.5;

impl PortIndex {
    pub(crate) fn new(ports: &[Port]) -> PortIndex {
        let mut cells: HashMap<(i32, i32), Vec<(f64, f64)>> = HashMap::new();
        for p in ports {
            let key = (
                (p.lon / PORT_CELL_DEG).floor() as i32,
                (p.lat / PORT_CELL_DEG).floor() as i32,
            );
            cells.entry(key).or_default().push((p.lat, p.lon));
        }
        PortIndex { cells }
    }

    /// Whether a port lies within `radius_m` of the point.
    pub(crate) fn is_near(&self, lat: f64, lon: f64, radius_m: f64) -> bool {
        if self.cells.is_empty() {
            return false;
        }
        let cell_m = PORT_CELL_DEG * M_PER_DEG;
        let cos = lat.to_radians().cos().max(0.01);
        let ry = (radius_m / cell_m).ceil() as i32;
        let rx = ((radius_m / (cell_m * cos)).ceil() as i32).min(720);
        let (cx, cy) = (
            (lon / PORT_CELL_DEG).floor() as i32,
            (lat / PORT_CELL_DEG).floor() as i32,
        );
        (-ry..=ry).any(|dy| {
            (-rx..=rx).any(|dx| {
                self.cells.get(&(cx + dx, cy + dy)).is_some_and(|ps| {
                    ps.iter()
                        .any(|&(plat, plon)| distance_m(lat, lon, plat, plon) <= radius_m)
                })
            })
        })
    }
}

/// Distance-to-shore with a per-cell cache; the engine owns one.
#[derive(Debug)]
pub(crate) struct ShoreCache {
    land: Option<Arc<LandMask>>,
    cache: HashMap<(i32, i32), f32>,
}

/// Cache resolution: 0.05° (about 5.5 km), small next to the 20–50 nm
/// thresholds it serves.
const SHORE_CELL_DEG: f64 = 0.05;
/// Farther than this counts as "far": no threshold in use needs more.
pub(crate) const SHORE_LIMIT_M: f64 = 200.0 * NM;
const SHORE_CACHE_MAX: usize = 1 << 20;

impl ShoreCache {
    pub(crate) fn new(land: Option<Arc<LandMask>>) -> ShoreCache {
        ShoreCache {
            land,
            cache: HashMap::new(),
        }
    }

    /// Distance to shore in nautical miles, `None` without a land mask.
    pub(crate) fn shore_nm(&mut self, lat: f64, lon: f64) -> Option<f64> {
        let land = self.land.as_ref()?;
        let key = (
            (lon / SHORE_CELL_DEG).floor() as i32,
            (lat / SHORE_CELL_DEG).floor() as i32,
        );
        if let Some(&d) = self.cache.get(&key) {
            return Some(f64::from(d));
        }
        if self.cache.len() >= SHORE_CACHE_MAX {
            // Bounded memory beats a perfect hit rate; the cache refills.
            self.cache.clear();
        }
        let clat = (f64::from(key.1) + 0.5) * SHORE_CELL_DEG;
        let clon = (f64::from(key.0) + 0.5) * SHORE_CELL_DEG;
        let d = (land.distance_m(clat, clon, SHORE_LIMIT_M) / NM) as f32;
        self.cache.insert(key, d);
        Some(f64::from(d))
    }
}

/// Flattens a MultiPolygon list (used by zones and the land mask).
pub(crate) fn bbox_of(mp: &MultiPolygon<f64>) -> Option<Rect<f64>> {
    mp.bounding_rect()
}
