// The overview against a real HTTP server: map colours, alert order, keyboard, API down.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Overview } from "../../src/pages/Overview";
import { LEVEL_COLOURS, NO_DATA_COLOUR } from "../../src/lib/risk";
import { ALERTS, LOCATIONS, PREDICTIONS } from "../support/fixtures";
import { type FixtureServer, closedPort, startFixtureServer } from "../support/server";

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer({
    "/api/locations": { body: LOCATIONS },
    "/api/predictions/latest": { body: PREDICTIONS },
    "/api/alerts/latest": { body: ALERTS },
  });
});
afterAll(() => server.close());
afterEach(() => {
  cleanup();
  window.history.replaceState(null, "", "/");
});

function pointAt(base: string) {
  window.history.replaceState(null, "", `/?api=${encodeURIComponent(base)}`);
}

function fillOf(container: HTMLElement, mapId: string): string | null {
  return container.querySelector(`path.state[data-map-id="${mapId}"]`)?.getAttribute("fill") ?? null;
}

describe("Overview", () => {
  it("colours states through the alias table, districts folded into their state", async () => {
    pointAt(server.base);
    const { container } = render(<Overview disease="dengue" />);
    await screen.findByText("2024-11-11");
    expect(fillOf(container, "ka")).toBe(LEVEL_COLOURS.severe); // KA low, KA-001 severe
    expect(fillOf(container, "tg")).toBe(LEVEL_COLOURS.high); // TS
    expect(fillOf(container, "or")).toBe(LEVEL_COLOURS.moderate); // OD
    expect(fillOf(container, "ut")).toBe(LEVEL_COLOURS.low); // UK
    expect(fillOf(container, "ct")).toBe(LEVEL_COLOURS.severe); // CG
    expect(fillOf(container, "dn")).toBe(LEVEL_COLOURS.high); // DH
    expect(fillOf(container, "dd")).toBe(LEVEL_COLOURS.high); // DH
    expect(fillOf(container, "mh")).toBe(NO_DATA_COLOUR);
    const ladakh = container.querySelector('g.marker[data-code="LA"]');
    expect(ladakh?.getAttribute("data-level")).toBe("moderate");
    expect(ladakh?.querySelector("circle")?.getAttribute("fill")).toBe(LEVEL_COLOURS.moderate);
    const district = container.querySelector('g.marker[data-code="KA-001"]');
    expect(district?.getAttribute("data-level")).toBe("severe");
  });

  it("switches colours with the disease", async () => {
    pointAt(server.base);
    const { container } = render(<Overview disease="malaria" />);
    await screen.findByText("2024-11-11");
    expect(fillOf(container, "ka")).toBe(LEVEL_COLOURS.high);
    expect(fillOf(container, "tg")).toBe(NO_DATA_COLOUR);
  });

  it("lists alerts most severe first", async () => {
    pointAt(server.base);
    const { container } = render(<Overview disease="dengue" />);
    await screen.findByText("2024-11-11");
    const ids = [...container.querySelectorAll("li.alert")].map((li) => li.getAttribute("data-alert-id"));
    expect(ids).toEqual(["a2", "a4", "a3", "a1"]);
  });

  it("opens a state's page with Enter on its map path", async () => {
    pointAt(server.base);
    const { container } = render(<Overview disease="dengue" />);
    await screen.findByText("2024-11-11");
    const telangana = container.querySelector('path.state[data-map-id="tg"]') as SVGPathElement;
    expect(telangana.getAttribute("tabindex")).toBe("0");
    expect(telangana.getAttribute("aria-label")).toContain("Telangana: high risk of dengue");
    fireEvent.keyDown(telangana, { key: "Enter" });
    expect(window.location.hash).toBe("#/location/TS?disease=dengue");
  });

  it("says how to start the API when it is down", async () => {
    const base = `http://127.0.0.1:${await closedPort()}`;
    pointAt(base);
    render(<Overview disease="dengue" />);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain(`Cannot reach the climahealth API at ${base}`);
    expect(alert.textContent).toContain("climahealth serve");
  });

  it("says which jobs to run when there are locations but no predictions", async () => {
    const empty = await startFixtureServer({ "/api/locations": { body: LOCATIONS } });
    try {
      pointAt(empty.base);
      const { container } = render(<Overview disease="dengue" />);
      const notice = await screen.findByTestId("no-predictions");
      expect(notice.textContent).toContain("climahealth predict");
      expect(fillOf(container, "ka")).toBe(NO_DATA_COLOUR);
    } finally {
      await empty.close();
    }
  });
});
