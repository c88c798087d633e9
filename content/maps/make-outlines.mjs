// Makes the documentary's base map outlines, content/maps/world.geojson and region.geojson,
// from Natural Earth's country outlines (public domain, naturalearthdata.com) as shipped in
// the npm package world-atlas (TopoJSON), converted to GeoJSON with topojson-client.
//
//   cd content/maps && npm ci && node make-outlines.mjs
//
// Reproducible: the package versions are pinned in package.json and package-lock.json, and the
// steps below use no randomness and no clock, so the same versions write the same bytes.
//
// Each map keeps every country that reaches into its bounds (plus a margin), clipped to that
// rectangle (Sutherland–Hodgman), simplified (Douglas–Peucker, to well under a unit of the
// 400-unit-wide drawing) and rounded to a fixed number of decimals, so the files stay small.
//
// Borders are drawn as the data draws them: Natural Earth's de facto boundaries, with its own
// names ("Palestine" for the West Bank and Gaza together). Nothing here redraws or renames them.
//
// The bounds must hold the bounds of the matching [[map]] in site.toml.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { feature } from "topojson-client";

const require = createRequire(import.meta.url);

const MAPS = [
  {
    file: "world.geojson",
    // Natural Earth 1:50m: enough for a view from Washington to the Gulf.
    atlas: "world-atlas/countries-50m.json",
    // [[south, west], [north, east]], a little wider than site.toml's bounds.
    bounds: [[11, -97], [63, 65]],
    tolerance: 0.25,
    decimals: 2,
  },
  {
    file: "region.geojson",
    // Natural Earth 1:10m: the finest it ships, for Israel, the West Bank, Gaza and Jordan.
    atlas: "world-atlas/countries-10m.json",
    bounds: [[28.9, 33.4], [34.0, 37.4]],
    tolerance: 0.004,
    decimals: 3,
  },
];

/** Keep the part of a closed ring inside the rectangle (Sutherland–Hodgman). */
function clipRing(ring, [[south, west], [north, east]]) {
  const edges = [
    [(p) => p[0] >= west, (a, b) => cross(a, b, 0, west)],
    [(p) => p[0] <= east, (a, b) => cross(a, b, 0, east)],
    [(p) => p[1] >= south, (a, b) => cross(a, b, 1, south)],
    [(p) => p[1] <= north, (a, b) => cross(a, b, 1, north)],
  ];
  let out = ring.slice(0, -1);
  for (const [inside, at] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const cur = input[i];
      const prev = input[(i + input.length - 1) % input.length];
      if (inside(cur)) {
        if (!inside(prev)) out.push(at(prev, cur));
        out.push(cur);
      } else if (inside(prev)) {
        out.push(at(prev, cur));
      }
    }
    if (out.length === 0) return [];
  }
  out.push(out[0]);
  return out;
}

/** Where the segment a–b crosses the line where coordinate `axis` equals `value`. */
function cross(a, b, axis, value) {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  p[axis] = value;
  return p;
}

/** Douglas–Peucker on an open polyline: the points that keep it within `tol` degrees. */
function simplify(points, tol) {
  if (points.length < 3) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop();
    let far = -1;
    let best = tol;
    for (let k = i + 1; k < j; k++) {
      const d = distance(points[k], points[i], points[j]);
      if (d > best) {
        best = d;
        far = k;
      }
    }
    if (far >= 0) {
      keep[far] = 1;
      stack.push([i, far], [far, j]);
    }
  }
  return points.filter((_, k) => keep[k]);
}

function distance(p, a, b) {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1]);
  return Math.abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / len;
}

function area(ring) {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return s / 2;
}

/** A ring clipped, simplified (split in two halves so its ends stay fixed) and rounded. */
function ringFor(ring, map) {
  const clipped = clipRing(ring, map.bounds);
  if (clipped.length < 4) return null;
  const mid = Math.floor(clipped.length / 2);
  const simple = [...simplify(clipped.slice(0, mid + 1), map.tolerance).slice(0, -1), ...simplify(clipped.slice(mid), map.tolerance)];
  const f = 10 ** map.decimals;
  const rounded = [];
  for (const [x, y] of simple) {
    const p = [Math.round(x * f) / f, Math.round(y * f) / f];
    const last = rounded[rounded.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) rounded.push(p);
  }
  if (rounded.length < 4 || Math.abs(area(rounded)) < (map.tolerance * map.tolerance) / 4) return null;
  return rounded;
}

function polygons(geometry) {
  if (geometry === null) return [];
  return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
}

function outlines(map) {
  const topology = require(map.atlas);
  const countries = feature(topology, topology.objects.countries).features;
  const features = [];
  for (const country of countries) {
    const kept = [];
    for (const polygon of polygons(country.geometry)) {
      const [outer, ...holes] = polygon.map((r) => ringFor(r, map));
      if (outer) kept.push([outer, ...holes.filter(Boolean)]);
    }
    if (kept.length === 0) continue;
    const geometry = kept.length === 1 ? { type: "Polygon", coordinates: kept[0] } : { type: "MultiPolygon", coordinates: kept };
    features.push({ type: "Feature", id: country.id, properties: { name: country.properties.name }, geometry });
  }
  features.sort((a, b) => a.properties.name.localeCompare(b.properties.name, "en"));
  return features;
}

const version = require("world-atlas/package.json").version;
for (const map of MAPS) {
  const features = outlines(map);
  const head = {
    type: "FeatureCollection",
    // (Foreign members, which GeoJSON readers ignore: where the data comes from.)
    source: `Natural Earth (public domain), ${map.atlas.replace("world-atlas/", "")} of world-atlas ${version}; clipped to ${JSON.stringify(map.bounds)} by make-outlines.mjs. Borders as the data draws them.`,
  };
  const lines = features.map((f) => JSON.stringify(f));
  const text = `${JSON.stringify(head).slice(0, -1)},"features":[\n${lines.join(",\n")}\n]}\n`;
  writeFileSync(new URL(map.file, import.meta.url), text);
  console.log(`${map.file}: ${features.length} countries, ${Buffer.byteLength(text)} bytes`);
}

// (Read back, so a broken file fails here rather than in the build.)
for (const map of MAPS) JSON.parse(readFileSync(new URL(map.file, import.meta.url), "utf8"));
