// The risk colour scale: ordered, distinct, readable without colour, and the level arithmetic.
import { describe, expect, it } from "vitest";
import {
  LEVEL_COLOURS, LEVEL_PATTERNS, NO_DATA_COLOUR, RISK_LEVELS, diseaseLabel, levelColour, levelRank, levelTextColour, maxLevel,
} from "../../src/lib/risk";

function luminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = c.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

/** Deuteranopia simulation (Viénot, Brettel & Mollon 1999) applied in linear RGB. */
function deuteranopeLuminance(hex: string): number {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = c.map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  const r2 = 0.29275 * r + 0.70725 * g;
  const g2 = 0.29275 * r + 0.70725 * g;
  const b2 = -0.02234 * r + 0.02234 * g + b;
  return 0.2126 * r2 + 0.7152 * g2 + 0.0722 * b2;
}

describe("colour scale", () => {
  it("gets darker with every level, so order survives colour blindness and greyscale", () => {
    const l = RISK_LEVELS.map((lv) => luminance(LEVEL_COLOURS[lv]));
    const d = RISK_LEVELS.map((lv) => deuteranopeLuminance(LEVEL_COLOURS[lv]));
    for (let i = 1; i < l.length; i++) {
      expect(l[i]).toBeLessThan(l[i - 1] * 0.85);
      expect(d[i]).toBeLessThan(d[i - 1] * 0.85);
    }
  });

  it("gives every level its own pattern except the lightest, and no data its own grey", () => {
    expect(LEVEL_PATTERNS.low).toBeNull();
    const patterns = [LEVEL_PATTERNS.moderate, LEVEL_PATTERNS.high, LEVEL_PATTERNS.severe];
    expect(new Set(patterns).size).toBe(3);
    expect(Object.values(LEVEL_COLOURS)).not.toContain(NO_DATA_COLOUR);
    expect(levelColour(null)).toBe(NO_DATA_COLOUR);
    expect(levelColour("bogus")).toBe(NO_DATA_COLOUR);
    expect(levelColour("high")).toBe(LEVEL_COLOURS.high);
  });

  it("keeps text readable on every level (contrast ≥ 4.5)", () => {
    for (const lv of RISK_LEVELS) {
      const bg = luminance(LEVEL_COLOURS[lv]);
      const fg = luminance(levelTextColour(lv));
      const ratio = (Math.max(bg, fg) + 0.05) / (Math.min(bg, fg) + 0.05);
      expect(ratio, lv).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("levels", () => {
  it("ranks and takes the worst", () => {
    expect(levelRank("low")).toBe(0);
    expect(levelRank("severe")).toBe(3);
    expect(levelRank(undefined)).toBe(-1);
    expect(maxLevel(["low", "high", "moderate"])).toBe("high");
    expect(maxLevel([null, "unknown"])).toBeNull();
    expect(maxLevel([])).toBeNull();
  });

  it("labels diseases", () => {
    expect(diseaseLabel("heat_illness")).toBe("Heat illness");
  });
});
