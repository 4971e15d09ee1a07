// The location page against a real HTTP server: forecast series, risk history, alerts, downloads.
import { cleanup, render, screen } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LocationPage } from "../../src/pages/LocationPage";
import { LEVEL_COLOURS } from "../../src/lib/risk";
import { ALERTS, LOCATIONS, PREDICTIONS } from "../support/fixtures";
import { type FixtureServer, startFixtureServer } from "../support/server";

const PREVIOUS = { ...PREDICTIONS, date: "2024-11-09", predictions: [{ location_code: "KA", disease: "dengue", risk_level: "high", risk_score: 0.7 }] };
const FORECASTS = {
  kind: "forecasts",
  date: "2024-11-11",
  horizon_days: 14,
  interval: 0.8,
  forecasts: [{ location_code: "KA", disease: "dengue", days: [{ date: "2024-11-12", expected: 6, lower: 4, upper: 9 }] }],
};
const HEALTH = { location: "KA", columns: { date: ["2024-11-10", "2024-11-11"], dengue_cases: [4, 5] } };
const CLIMATE = { location: "KA", columns: { date: ["2024-11-10", "2024-11-11"], temp_max_c: [30, 31], temp_mean_c: [25, 26], temp_min_c: [20, 21], rainfall_mm: [0, 3], pm25_ugm3: [40, 42] } };

let server: FixtureServer;
beforeAll(async () => {
  const ka = "location=KA";
  server = await startFixtureServer({
    "/api/locations": { body: LOCATIONS },
    [`/api/climate?${ka}`]: { body: CLIMATE },
    [`/api/health?${ka}`]: { body: HEALTH },
    [`/api/predictions/latest?${ka}`]: { body: { ...PREDICTIONS, predictions: PREDICTIONS.predictions.filter((p) => p.location_code === "KA") } },
    [`/api/predictions/2024-11-09?${ka}`]: { body: PREVIOUS },
    [`/api/forecasts/latest?${ka}`]: { body: FORECASTS },
    [`/api/alerts/latest?${ka}`]: { body: { ...ALERTS, alerts: [] } },
  });
  window.history.replaceState(null, "", `/?api=${encodeURIComponent(server.base)}`);
});
afterAll(() => server.close());
afterEach(cleanup);

describe("LocationPage", () => {
  it("shows the place, its risk history by day and the cases chart with the forecast", async () => {
    const { container } = render(<LocationPage code="KA" disease="dengue" />);
    expect((await screen.findByTestId("location-title")).textContent).toContain("Karnataka");
    const history = screen.getByTestId("risk-history");
    expect([...history.querySelectorAll("thead th")].map((th) => th.textContent)).toEqual(["Disease", "11-09", "11-11"]);
    const dengueRow = [...history.querySelectorAll("tbody tr")][0];
    const cells = [...dengueRow.querySelectorAll("td")];
    expect(cells.map((c) => c.textContent)).toEqual(["high", "low"]);
    expect(cells[0].getAttribute("style")).toContain("rgb(253, 141, 60)"); // LEVEL_COLOURS.high
    expect(LEVEL_COLOURS.high).toBe("#fd8d3c");
    const cases = screen.getByTestId("cases-chart");
    expect(cases.textContent).toContain("14-day forecast (80% interval)");
    // Two observed days and one forecast day.
    expect(cases.querySelector(".chart-canvas")?.getAttribute("data-points")).toBe("3");
    expect(container.textContent).toContain("No active alerts.");
    // The 13 days before the latest were asked for; the one that exists is in the history.
    const asked = server.requests.filter((r) => /^\/api\/predictions\/\d{4}-\d{2}-\d{2}\?location=KA$/.test(r));
    expect(new Set(asked).size).toBe(13);
    expect(asked).toContain("/api/predictions/2024-10-29?location=KA");
  });

  it("links the underlying files for download", async () => {
    render(<LocationPage code="KA" disease="dengue" />);
    const link = await screen.findByTestId("download-predictions");
    expect(link.getAttribute("href")).toBe(`${server.base}/api/files/processed/predictions/2024-11-11/risk.json`);
    const csv = screen.getByText("Climate, this place (CSV)");
    expect(csv.getAttribute("href")).toBe(`${server.base}/api/climate?location=KA&format=csv`);
  });

  it("says when a location code is unknown", async () => {
    render(<LocationPage code="ZZ" disease="dengue" />);
    expect((await screen.findByRole("alert")).textContent).toContain("Unknown location ZZ");
    expect(server.requests.some((r) => r.includes("location=ZZ"))).toBe(false);
  });
});
