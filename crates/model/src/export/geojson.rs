//! A GeoJSON `FeatureCollection` (RFC 7946) of records, for maps and GIS.
//!
//! One `Feature` per record version with a valid location, in input order;
//! versions without one (and retractions, which carry no content) are left
//! out. The feature's `id` is the record id and its geometry the record's
//! point or polygon. Properties: `id`, `version`, `kind`, `function`,
//! `title`, `observed_at`, `reported_at`, `originator`, `agency`, `tlp`,
//! `place`, then the body's simple fields flattened: scalars as they are,
//! objects of scalars as `field_sub` (`magnitude_value`, `volume_unit`),
//! lists of scalars as lists. Lists of objects (disaster needs,
//! proliferation vessels) are left to the STIX and JSON exports. A body
//! field never replaces one of the fixed properties.
//!
//! **The caller filters first**: see the [module docs](super).

use serde_json::{Map, Value, json};

use super::{body_fields, located, timestamp};
use crate::record::RecordVersion;

/// The feature collection of `versions`.
pub fn feature_collection<'a>(versions: impl IntoIterator<Item = &'a RecordVersion>) -> Value {
    let features: Vec<Value> = versions.into_iter().filter_map(feature).collect();
    json!({"type": "FeatureCollection", "features": features})
}

/// The feature of one version, if it has a valid location.
pub fn feature(v: &RecordVersion) -> Option<Value> {
    let c = v.report()?;
    let (geometry, _) = located(c.location.as_ref())?;
    let mut p = Map::new();
    p.insert("id".into(), json!(v.id.to_string()));
    p.insert("version".into(), json!(v.version));
    p.insert("kind".into(), json!(c.body.kind().id()));
    p.insert("function".into(), json!(c.function.id()));
    p.insert("title".into(), json!(c.title));
    p.insert("observed_at".into(), json!(timestamp(c.observed_at)));
    p.insert("reported_at".into(), json!(timestamp(v.reported_at)));
    p.insert("originator".into(), json!(v.originator.member.as_str()));
    p.insert("agency".into(), json!(v.originator.agency));
    p.insert("tlp".into(), json!(v.distribution.tlp().as_str()));
    p.insert("place".into(), json!(c.place));
    if let Value::Object(body) = body_fields(&c.body) {
        for (name, value) in body {
            flatten(&mut p, name, value);
        }
    }
    let geometry = serde_json::to_value(geometry).ok()?;
    Some(json!({
        "type": "Feature",
        "id": v.id.to_string(),
        "geometry": geometry,
        "properties": p,
    }))
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::Bool(_) | Value::Number(_) | Value::String(_))
}

fn flatten(out: &mut Map<String, Value>, name: String, value: Value) {
    let mut put = |key: String, v: Value| {
        out.entry(key).or_insert(v);
    };
    match value {
        v if is_scalar(&v) => put(name, v),
        Value::Array(items) if items.iter().all(is_scalar) => put(name, Value::Array(items)),
        Value::Object(fields) if fields.values().all(is_scalar) => {
            for (sub, v) in fields {
                put(format!("{name}_{sub}"), v);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures::{disaster_polygon, piracy, retracted};

    #[test]
    fn one_feature_per_located_record_with_flat_body_fields() {
        let fc = feature_collection(&[piracy(), disaster_polygon(), retracted()]);
        let features = fc["features"].as_array().unwrap();
        assert_eq!(features.len(), 2, "the retraction has no location");
        let p = &features[0];
        assert_eq!(
            p["geometry"],
            json!({"type": "Point", "coordinates": [98.7, 3.8]})
        );
        assert_eq!(p["properties"]["tlp"], "GREEN");
        assert_eq!(p["properties"]["attack_type"], "robbery");
        assert_eq!(p["properties"]["items_stolen"], json!(["engine spares"]));
        assert_eq!(p["properties"]["observed_at"], "2026-11-20T21:30:00.000Z");
        let d = &features[1]["properties"];
        assert_eq!(d["magnitude_value"], 4.0);
        assert_eq!(d["magnitude_scale"], "Saffir-Simpson");
        assert_eq!(features[1]["geometry"]["type"], "Polygon");
    }

    #[test]
    fn body_fields_never_replace_fixed_properties() {
        let mut out = Map::new();
        out.insert("kind".into(), json!("piracy"));
        flatten(&mut out, "kind".into(), json!("other"));
        flatten(
            &mut out,
            "needs".into(),
            json!([{"capability": "x", "quantity": 1}]),
        );
        assert_eq!(out["kind"], "piracy");
        assert!(!out.contains_key("needs"));
    }
}
