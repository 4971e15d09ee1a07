// The lon/lat projection onto the map: known cities land inside their own state's path.
import india from "@svg-maps/india";
import { describe, expect, it } from "vitest";
import { project } from "../../src/lib/projection";

/** The polygons of a path that uses only m/M, l/L and z (as this map does). */
function polygons(d: string): Array<Array<[number, number]>> {
  const tokens = d.match(/[mMlLzZ]|-?\d*\.?\d+(?:e-?\d+)?/g) ?? [];
  const out: Array<Array<[number, number]>> = [];
  let cmd = "m";
  let x = 0;
  let y = 0;
  let current: Array<[number, number]> = [];
  for (let i = 0; i < tokens.length; ) {
    const t = tokens[i];
    if (/[a-zA-Z]/.test(t)) {
      cmd = t;
      i++;
      if (t === "z" || t === "Z") {
        if (current.length) out.push(current);
        x = current[0]?.[0] ?? x;
        y = current[0]?.[1] ?? y;
        current = [];
      }
      continue;
    }
    const a = Number(tokens[i]);
    const b = Number(tokens[i + 1]);
    i += 2;
    if (cmd === "m" || cmd === "M") {
      if (current.length) out.push(current);
      x = cmd === "m" ? x + a : a;
      y = cmd === "m" ? y + b : b;
      current = [[x, y]];
      cmd = cmd === "m" ? "l" : "L";
    } else {
      x = cmd === "l" ? x + a : a;
      y = cmd === "l" ? y + b : b;
      current.push([x, y]);
    }
  }
  if (current.length) out.push(current);
  return out;
}

function inside(px: number, py: number, d: string): boolean {
  let crossings = 0;
  for (const poly of polygons(d)) {
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const [xi, yi] = poly[i];
      const [xj, yj] = poly[j];
      if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) crossings++;
    }
  }
  return crossings % 2 === 1;
}

const CITIES: Array<[string, string, number, number]> = [
  ["Bengaluru", "ka", 77.59, 12.97],
  ["Mumbai", "mh", 72.88, 19.08],
  ["New Delhi", "dl", 77.21, 28.61],
  ["Kolkata", "wb", 88.36, 22.57],
  ["Chennai", "tn", 80.27, 13.08],
  ["Jaipur", "rj", 75.79, 26.91],
  ["Guwahati", "as", 91.74, 26.14],
  ["Hyderabad", "tg", 78.47, 17.39],
  ["Bhubaneswar", "or", 85.82, 20.3],
  ["Dehradun", "ut", 78.03, 30.32],
  ["Raipur", "ct", 81.63, 21.25],
  ["Leh (Ladakh, inside the map's jk)", "jk", 77.58, 34.15],
  ["Thiruvananthapuram", "kl", 76.94, 8.52],
];

describe("project", () => {
  it.each(CITIES)("puts %s inside path %s", (_name, id, lon, lat) => {
    const path = india.locations.find((l) => l.id === id)!.path;
    const { x, y } = project(lon, lat);
    expect(inside(x, y, path)).toBe(true);
  });

  it("keeps India inside the viewBox", () => {
    for (const [lon, lat] of [[68.2, 23.5], [97.4, 28], [93.8, 6.8], [77, 35.5]]) {
      const { x, y } = project(lon, lat);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(612);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(696);
    }
  });
});
