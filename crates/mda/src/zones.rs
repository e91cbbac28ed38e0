//! Zones: named polygons whose entry and exit are reported.

use std::collections::HashMap;

use geo::{Contains, MultiPolygon, Point, Rect};
use geojson::{GeoJson, JsonObject};
use model::Function;

use crate::detection::Tlp;
use crate::{Error, earth};

/// One zone: a high-risk area, a port of concern, a marine protected area.
#[derive(Clone, Debug)]
pub struct Zone {
    /// The feature's `name` property, or `zone N`.
    pub name: String,
    /// The `function` property (`piracy`, `proliferation`, …) if given; it
    /// overrides the default for zone detections.
    pub function: Option<Function>,
    /// The `tlp` property (`CLEAR`, `GREEN`, `AMBER`, …) if given.
    pub tlp: Option<Tlp>,
    /// The area, longitude/latitude degrees.
    pub area: MultiPolygon<f64>,
    bbox: Rect<f64>,
}

/// A set of zones with a 1° grid index, so that a position is tested only
/// against zones whose bounding box covers its cell.
#[derive(Clone, Debug, Default)]
pub struct Zones {
    zones: Vec<Zone>,
    index: HashMap<(i32, i32), Vec<u16>>,
}

/// Zones per set: indices are `u16` in track state.
const MAX_ZONES: usize = u16::MAX as usize;

impl Zones {
    /// No zones.
    pub fn new() -> Zones {
        Zones::default()
    }

    /// Parses a GeoJSON FeatureCollection (or a single Feature) of Polygon
    /// and MultiPolygon features. Properties used: `name`, `function`,
    /// `tlp`; other geometry types are an error, because a zone file that
    /// silently loses zones is worse than one that fails.
    pub fn parse_geojson(text: &str) -> Result<Zones, Error> {
        let mut zones = Vec::new();
        for (i, (props, area)) in polygons_from_geojson(text)?.into_iter().enumerate() {
            let prop = |k: &str| props.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            let function = match prop("function") {
                Some(f) => Some(
                    f.parse::<Function>()
                        .map_err(|e| Error::geojson(format!("zone {i}: {e}")))?,
                ),
                None => None,
            };
            let tlp = match prop("tlp") {
                Some(t) => Some(
                    t.parse::<Tlp>()
                        .map_err(|e| Error::geojson(format!("zone {i}: {e}")))?,
                ),
                None => None,
            };
            let name = prop("name").unwrap_or_else(|| format!("zone {i}"));
            zones.push((name, function, tlp, area));
        }
        let mut out = Zones::new();
        for (name, function, tlp, area) in zones {
            out.push(name, function, tlp, area)?;
        }
        Ok(out)
    }

    /// Adds a zone.
    pub fn push(
        &mut self,
        name: String,
        function: Option<Function>,
        tlp: Option<Tlp>,
        area: MultiPolygon<f64>,
    ) -> Result<(), Error> {
        if self.zones.len() >= MAX_ZONES {
            return Err(Error::geojson(format!("more than {MAX_ZONES} zones")));
        }
        let Some(bbox) = earth::bbox_of(&area) else {
            return Err(Error::geojson(format!("zone {name:?} is empty")));
        };
        let id = self.zones.len() as u16;
        for cx in bbox.min().x.floor() as i32..=bbox.max().x.floor() as i32 {
            for cy in bbox.min().y.floor() as i32..=bbox.max().y.floor() as i32 {
                self.index.entry((cx, cy)).or_default().push(id);
            }
        }
        self.zones.push(Zone {
            name,
            function,
            tlp,
            area,
            bbox,
        });
        Ok(())
    }

    /// The zones, in file order.
    pub fn zones(&self) -> &[Zone] {
        &self.zones
    }

    /// Number of zones.
    pub fn len(&self) -> usize {
        self.zones.len()
    }

    /// Whether there are no zones.
    pub fn is_empty(&self) -> bool {
        self.zones.is_empty()
    }

    /// Writes the indices of the zones containing the point into `out`
    /// (cleared first), in ascending order.
    pub fn containing(&self, lat: f64, lon: f64, out: &mut Vec<u16>) {
        out.clear();
        let Some(cands) = self.index.get(&(lon.floor() as i32, lat.floor() as i32)) else {
            return;
        };
        let p = Point::new(lon, lat);
        for &id in cands {
            let z = &self.zones[usize::from(id)];
            let b = z.bbox;
            if lon >= b.min().x
                && lon <= b.max().x
                && lat >= b.min().y
                && lat <= b.max().y
                && z.area.contains(&p)
            {
                out.push(id);
            }
        }
    }
}

/// Reads every Polygon / MultiPolygon feature of a GeoJSON text with its
/// properties.
pub(crate) fn polygons_from_geojson(
    text: &str,
) -> Result<Vec<(JsonObject, MultiPolygon<f64>)>, Error> {
    let gj: GeoJson = text
        .parse()
        .map_err(|e: geojson::Error| Error::geojson(e.to_string()))?;
    let items: Vec<(JsonObject, Option<geojson::Geometry>)> = match gj {
        GeoJson::FeatureCollection(fc) => fc
            .features
            .into_iter()
            .map(|f| (f.properties.unwrap_or_default(), f.geometry))
            .collect(),
        GeoJson::Feature(f) => vec![(f.properties.unwrap_or_default(), f.geometry)],
        GeoJson::Geometry(g) => vec![(JsonObject::new(), Some(g))],
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, (props, geom)) in items.into_iter().enumerate() {
        let Some(geom) = geom else {
            return Err(Error::geojson(format!("feature {i} has no geometry")));
        };
        let g: geo::Geometry<f64> = geom
            .value
            .try_into()
            .map_err(|e: geojson::Error| Error::geojson(format!("feature {i}: {e}")))?;
        let mp = match g {
            geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
            geo::Geometry::MultiPolygon(mp) => mp,
            _ => {
                return Err(Error::geojson(format!(
                    "feature {i} is not a Polygon or MultiPolygon"
                )));
            }
        };
        out.push((props, mp));
    }
    Ok(out)
}
