// Turning API documents into what the map, lists and charts draw.

import type { Alert, Forecast, Prediction, SeriesResponse } from "../api/types";
import { isDistrict, stateOf } from "./aliases";
import { levelRank, maxLevel, type RiskLevel, severityRank } from "./risk";

export interface StateRisk {
  /** The worst level over the state itself and all its districts. */
  level: RiskLevel | null;
  /** The state's own level (null when only its districts have predictions). */
  ownLevel: RiskLevel | null;
  /** Districts whose level is part of the aggregate, worst first. */
  districts: Array<{ code: string; level: RiskLevel | null; score: number }>;
}

/** Risk per state code for one disease: districts fold into their state (max level). */
export function riskByState(predictions: Prediction[], disease: string): Map<string, StateRisk> {
  const out = new Map<string, StateRisk>();
  for (const p of predictions) {
    if (p.disease !== disease) continue;
    const state = stateOf(p.location_code);
    const entry = out.get(state) ?? { level: null, ownLevel: null, districts: [] };
    const level = maxLevel([p.risk_level]);
    if (isDistrict(p.location_code)) {
      entry.districts.push({ code: p.location_code, level, score: p.risk_score });
    } else {
      entry.ownLevel = maxLevel([entry.ownLevel, level]);
    }
    entry.level = maxLevel([entry.level, level]);
    out.set(state, entry);
  }
  for (const entry of out.values()) {
    entry.districts.sort((a, b) => levelRank(b.level) - levelRank(a.level) || a.code.localeCompare(b.code));
  }
  return out;
}

/** Level per exact location code for one disease. */
export function riskByLocation(predictions: Prediction[], disease: string): Map<string, Prediction> {
  const out = new Map<string, Prediction>();
  for (const p of predictions) if (p.disease === disease) out.set(p.location_code, p);
  return out;
}

/**
 * Alerts worst first: severity (severe > high > moderate), then how far the
 * value is past its threshold, then location and id so the order is stable.
 */
export function sortAlerts(alerts: readonly Alert[]): Alert[] {
  const excess = (a: Alert) =>
    a.value != null && a.threshold != null && a.threshold !== 0 ? a.value / a.threshold : 0;
  return [...alerts].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      excess(b) - excess(a) ||
      a.location_code.localeCompare(b.location_code) ||
      String(a.id).localeCompare(String(b.id)),
  );
}

/** Alert counts per severity, for the summary line. */
export function countBySeverity(alerts: readonly Alert[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of alerts) out[a.severity] = (out[a.severity] ?? 0) + 1;
  return out;
}

/** Days since 1970-01-01 (UTC) for an ISO date, as uPlot's x in seconds. */
export function isoToSeconds(date: string): number {
  return Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 1000;
}

export interface ChartData {
  x: number[];
  series: Array<Array<number | null>>;
}

function numbers(column: ReadonlyArray<number | string | null> | undefined, n: number): Array<number | null> {
  const out: Array<number | null> = [];
  for (let i = 0; i < n; i++) {
    const v = column?.[i];
    out.push(typeof v === "number" && Number.isFinite(v) ? v : v == null || v === "" ? null : Number.isFinite(Number(v)) ? Number(v) : null);
  }
  return out;
}

/** Columns of a series answer as chart data, keeping only the last `days` days. */
export function seriesToChart(res: SeriesResponse, columns: string[], days?: number): ChartData {
  const dates = (res.columns.date ?? []) as string[];
  const start = days != null && dates.length > days ? dates.length - days : 0;
  const x = dates.slice(start).map(isoToSeconds);
  return {
    x,
    series: columns.map((c) => numbers(res.columns[c], dates.length).slice(start)),
  };
}

/**
 * Observed cases followed by the forecast: x covers both; series are
 * [observed, expected, lower, upper], null where a series has no value.
 */
export function casesWithForecast(
  health: SeriesResponse | null,
  disease: string,
  forecast: Forecast | null,
  days?: number,
): ChartData {
  const observed = health ? seriesToChart(health, [`${disease}_cases`], days) : { x: [], series: [[]] };
  const byX = new Map<number, [number | null, number | null, number | null, number | null]>();
  observed.x.forEach((x, i) => byX.set(x, [observed.series[0][i], null, null, null]));
  for (const d of forecast?.days ?? []) {
    const x = isoToSeconds(d.date);
    const row = byX.get(x) ?? [null, null, null, null];
    row[1] = d.expected;
    row[2] = d.lower;
    row[3] = d.upper;
    byX.set(x, row);
  }
  const xs = [...byX.keys()].sort((a, b) => a - b);
  const series: Array<Array<number | null>> = [[], [], [], []];
  for (const x of xs) byX.get(x)!.forEach((v, i) => series[i].push(v));
  return { x: xs, series };
}

/** The date `n` days before an ISO date. */
export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + n * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

/** "20241111T101500Z-1a2b3c4d" → "2024-11-11 10:15 UTC"; other strings unchanged. */
export function versionTime(version: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(version);
  return m ? `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]} UTC` : version;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
