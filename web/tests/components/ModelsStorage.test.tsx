// The models and storage pages against a real HTTP server.
import { cleanup, render, screen } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ModelInfo } from "../../src/api/types";
import { ModelsPage, groupModels } from "../../src/pages/ModelsPage";
import { StoragePage } from "../../src/pages/StoragePage";
import { type FixtureServer, startFixtureServer } from "../support/server";

const MODELS: ModelInfo[] = [
  { name: "risk_dengue", version: "20241101T050000Z-00000001", current: false, training_window: { start: "2023-01-01", end: "2024-09-01" }, metrics: { auc: 0.8 } },
  { name: "risk_dengue", version: "20241112T050000Z-00000002", current: true, training_window: { start: "2023-01-01", end: "2024-10-01" }, metrics: { auc: 0.8312 } },
  { name: "forecast_dengue", version: "20241112T050000Z-00000003", current: true, metrics: { mae: 1.5 } },
];

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    "/api/models": { body: { models: MODELS } },
    "/api/storage/stats": {
      body: {
        buckets: [
          { logical: "raw", name: "climahealth-raw", objects: 4, bytes: 3 * 1024 * 1024, newest_object: { key: "raw/health_data.csv", last_modified: "2024-11-12T05:00:00Z" } },
          { logical: "models", name: "climahealth-models", objects: 0, bytes: 0, newest_object: null },
        ],
        newest_prediction_date: "2024-11-11",
      },
    },
  });
  window.history.replaceState(null, "", `/?api=${encodeURIComponent(server.base)}`);
});
afterAll(() => server.close());
afterEach(cleanup);

describe("models", () => {
  it("groups by name with the current version first", () => {
    const groups = groupModels(MODELS);
    expect(groups.map(([n]) => n)).toEqual(["forecast_dengue", "risk_dengue"]);
    expect(groups[1][1].map((m) => m.version)).toEqual(["20241112T050000Z-00000002", "20241101T050000Z-00000001"]);
  });

  it("marks the current versions and shows metrics and windows", async () => {
    render(<ModelsPage />);
    const table = await screen.findByTestId("models-table");
    expect(table.querySelectorAll("tbody tr").length).toBe(3);
    expect(table.querySelectorAll(".current-badge").length).toBe(2);
    expect(table.textContent).toContain("auc: 0.831");
    expect(table.textContent).toContain("2023-01-01 – 2024-10-01");
  });
});

describe("storage", () => {
  it("lists buckets with objects, sizes and the newest data", async () => {
    render(<StoragePage />);
    const table = await screen.findByTestId("buckets-table");
    const rows = [...table.querySelectorAll("tbody tr")].map((r) => r.textContent);
    expect(rows[0]).toContain("3.0 MiB");
    expect(rows[0]).toContain("raw/health_data.csv");
    expect(rows[1]).toContain("empty");
    expect(screen.getByTestId("newest-prediction").textContent).toBe("2024-11-11");
  });
});
