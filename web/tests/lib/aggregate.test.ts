// Turning documents into map colours, sorted alerts and chart columns.
import { describe, expect, it } from "vitest";
import type { SeriesResponse } from "../../src/api/types";
import {
  addDays, casesWithForecast, countBySeverity, formatBytes, isoToSeconds, riskByState, seriesToChart, sortAlerts, versionTime,
} from "../../src/lib/aggregate";
import { ALERTS, PREDICTIONS } from "../support/fixtures";

describe("riskByState", () => {
  it("colours a state by the worst of itself and its districts", () => {
    const byState = riskByState(PREDICTIONS.predictions, "dengue");
    expect(byState.get("KA")).toEqual({
      level: "severe",
      ownLevel: "low",
      districts: [{ code: "KA-001", level: "severe", score: 0.95 }],
    });
    expect(byState.get("TS")?.level).toBe("high");
  });

  it("looks only at the selected disease", () => {
    const byState = riskByState(PREDICTIONS.predictions, "malaria");
    expect([...byState.keys()]).toEqual(["KA"]);
    expect(byState.get("KA")?.level).toBe("high");
  });

  it("colours a state from districts alone when the state has no row", () => {
    const byState = riskByState([{ location_code: "MH-002", disease: "dengue", risk_level: "moderate", risk_score: 0.4 }], "dengue");
    expect(byState.get("MH")?.level).toBe("moderate");
    expect(byState.get("MH")?.ownLevel).toBeNull();
  });
});

describe("sortAlerts", () => {
  it("puts severe first, then high, then moderate; within a severity the larger excess first", () => {
    expect(sortAlerts(ALERTS.alerts).map((a) => a.id)).toEqual(["a2", "a4", "a3", "a1"]);
  });

  it("does not reorder its input and is stable for equal alerts", () => {
    const input = [...ALERTS.alerts];
    sortAlerts(input);
    expect(input).toEqual(ALERTS.alerts);
    const same = [
      { ...ALERTS.alerts[0], id: "b", location_code: "X" },
      { ...ALERTS.alerts[0], id: "a", location_code: "X" },
    ];
    expect(sortAlerts(same).map((a) => a.id)).toEqual(["a", "b"]);
  });

  it("counts per severity", () => {
    expect(countBySeverity(ALERTS.alerts)).toEqual({ severe: 2, high: 1, moderate: 1 });
  });
});

describe("chart data", () => {
  const health: SeriesResponse = {
    location: "KA",
    columns: { date: ["2024-11-09", "2024-11-10", "2024-11-11"], dengue_cases: [3, null, 5] },
  };

  it("keeps the last N days and turns nulls into gaps", () => {
    const c = seriesToChart(health, ["dengue_cases"], 2);
    expect(c.x).toEqual([isoToSeconds("2024-11-10"), isoToSeconds("2024-11-11")]);
    expect(c.series).toEqual([[null, 5]]);
  });

  it("appends the forecast after the observations, with its interval", () => {
    const c = casesWithForecast(health, "dengue", {
      location_code: "KA",
      disease: "dengue",
      days: [
        { date: "2024-11-12", expected: 6, lower: 4, upper: 9 },
        { date: "2024-11-13", expected: 7, lower: 4.5, upper: 10 },
      ],
    });
    expect(c.x.length).toBe(5);
    expect(c.series[0]).toEqual([3, null, 5, null, null]);
    expect(c.series[1]).toEqual([null, null, null, 6, 7]);
    expect(c.series[2]).toEqual([null, null, null, 4, 4.5]);
    expect(c.series[3]).toEqual([null, null, null, 9, 10]);
  });
});

describe("formatting", () => {
  it("formats bytes, versions and dates", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 * 1024 * 1024)).toBe("5.0 GiB");
    expect(versionTime("20241112T050000Z-0a1b2c3d")).toBe("2024-11-12 05:00 UTC");
    expect(versionTime("v1")).toBe("v1");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
  });
});
