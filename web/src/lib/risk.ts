// Risk levels, alert severities, their colour-blind-safe colours and ordering.

export const DISEASES = ["dengue", "malaria", "heat_illness", "respiratory", "diarrhoea"] as const;
export type Disease = (typeof DISEASES)[number];

export const RISK_LEVELS = ["low", "moderate", "high", "severe"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const SEVERITIES = ["moderate", "high", "severe"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** "heat_illness" → "Heat illness". */
export function diseaseLabel(disease: string): string {
  const s = disease.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function isDisease(value: string | null | undefined): value is Disease {
  return value != null && (DISEASES as readonly string[]).includes(value);
}

export function isRiskLevel(value: unknown): value is RiskLevel {
  return typeof value === "string" && (RISK_LEVELS as readonly string[]).includes(value);
}

/** 0 for low … 3 for severe; -1 for anything else (no data). */
export function levelRank(level: string | null | undefined): number {
  return level == null ? -1 : (RISK_LEVELS as readonly string[]).indexOf(level);
}

/** The worse of a set of levels, or null when none is a known level. */
export function maxLevel(levels: Iterable<string | null | undefined>): RiskLevel | null {
  let best = -1;
  for (const l of levels) best = Math.max(best, levelRank(l));
  return best < 0 ? null : RISK_LEVELS[best];
}

/**
 * ColorBrewer YlOrRd, 4 classes: sequential in lightness, so it stays ordered
 * for deuteranopes, protanopes and tritanopes and in greyscale. Each level also
 * has a fill pattern and a text label, so colour is never the only cue.
 */
export const LEVEL_COLOURS: Readonly<Record<RiskLevel, string>> = Object.freeze({
  low: "#ffffb2",
  moderate: "#fecc5c",
  high: "#fd8d3c",
  severe: "#e31a1c",
});
export const NO_DATA_COLOUR = "#d9d9d9";

/** Fill pattern ids (defined by <PatternDefs/>) drawn over the colour. */
export const LEVEL_PATTERNS: Readonly<Record<RiskLevel, string | null>> = Object.freeze({
  low: null,
  moderate: "pat-moderate",
  high: "pat-high",
  severe: "pat-severe",
});

export function levelColour(level: string | null | undefined): string {
  return isRiskLevel(level) ? LEVEL_COLOURS[level] : NO_DATA_COLOUR;
}

/** Dark text for the light classes, white on the darkest. */
export function levelTextColour(level: string | null | undefined): string {
  return level === "severe" ? "#ffffff" : "#1a1a1a";
}

export function severityRank(severity: string | null | undefined): number {
  return severity == null ? -1 : (SEVERITIES as readonly string[]).indexOf(severity);
}
