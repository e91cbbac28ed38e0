"""Derive data/mda/land-110m.geojson from world-atlas countries-110m.json.

Input: world-atlas 2.0 `countries-110m.json` (TopoJSON; Natural Earth 1:110m
admin-0 countries, public domain; world-atlas packaging ISC, Mike Bostock).
Output: a GeoJSON FeatureCollection with one MultiPolygon feature per
country, coordinates rounded to 0.001 degree. The mda crate embeds it as a
coarse land mask for distance-to-shore; it never reads the source.

Usage: python3 derive_land.py PATH/TO/countries-110m.json > land-110m.geojson
"""
import json
import sys


def decode_arcs(topo):
    t = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for p in arc:
            if t:
                x += p[0]
                y += p[1]
                lon = x * t["scale"][0] + t["translate"][0]
                lat = y * t["scale"][1] + t["translate"][1]
            else:
                lon, lat = p[0], p[1]
            pts.append([round(lon, 3), round(lat, 3)])
        arcs.append(pts)
    return arcs


def ring(arcs, idxs):
    out = []
    for i in idxs:
        pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(pts if not out else pts[1:])
    return out


def main():
    topo = json.load(open(sys.argv[1]))
    arcs = decode_arcs(topo)
    feats = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        coords = [[ring(arcs, r) for r in poly] for poly in polys]
        feats.append({
            "type": "Feature",
            "properties": {"name": g.get("properties", {}).get("name", "")},
            "geometry": {"type": "MultiPolygon", "coordinates": coords},
        })
    json.dump({"type": "FeatureCollection", "features": feats}, sys.stdout,
              separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
