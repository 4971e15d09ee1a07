// Hash routes of the dashboard.
import { expect, it } from "vitest";
import { locationHref, overviewHref, parseHash } from "../../src/lib/router";

it("parses every page and keeps the disease", () => {
  expect(parseHash("")).toEqual({ page: "overview", disease: null });
  expect(parseHash("#/?disease=malaria")).toEqual({ page: "overview", disease: "malaria" });
  expect(parseHash("#/location/ka-017?disease=dengue")).toEqual({ page: "location", code: "KA-017", disease: "dengue" });
  expect(parseHash("#/models")).toEqual({ page: "models" });
  expect(parseHash("#/storage")).toEqual({ page: "storage" });
  expect(parseHash("#/nowhere/1")).toEqual({ page: "not_found", path: "/nowhere/1" });
});

it("builds links that parse back", () => {
  expect(parseHash(locationHref("TS", "heat_illness"))).toEqual({ page: "location", code: "TS", disease: "heat_illness" });
  expect(parseHash(overviewHref("dengue"))).toEqual({ page: "overview", disease: "dengue" });
  expect(overviewHref()).toBe("#/");
});
