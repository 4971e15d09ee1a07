// The alias table between @svg-maps/india path ids and our ISO 3166-2:IN codes.
import india from "@svg-maps/india";
import { describe, expect, it } from "vitest";
import { CODES_WITHOUT_PATH, MAP_ID_TO_CODE, codeForMapId, isDistrict, mapIdsForCode, stateOf } from "../../src/lib/aliases";

// The 36 codes the generator and docs/DATA.md use (ISO 3166-2:IN, 2023).
const OUR_CODES = [
  "AN", "AP", "AR", "AS", "BR", "CG", "CH", "DH", "DL", "GA", "GJ", "HP", "HR", "JH", "JK", "KA", "KL", "LA",
  "LD", "MH", "ML", "MN", "MP", "MZ", "NL", "OD", "PB", "PY", "RJ", "SK", "TN", "TR", "TS", "UK", "UP", "WB",
];

describe("alias table", () => {
  it("covers exactly the path ids the installed map draws", () => {
    const ids = india.locations.map((l) => l.id).sort();
    expect(Object.keys(MAP_ID_TO_CODE).sort()).toEqual(ids);
  });

  it("maps every path to one of our codes", () => {
    for (const id of Object.keys(MAP_ID_TO_CODE)) expect(OUR_CODES).toContain(MAP_ID_TO_CODE[id]);
  });

  it("draws every one of our codes except Ladakh, which is a marker", () => {
    const drawn = new Set(Object.values(MAP_ID_TO_CODE));
    const missing = OUR_CODES.filter((c) => !drawn.has(c));
    expect(missing).toEqual(["LA"]);
    expect(CODES_WITHOUT_PATH).toEqual(["LA"]);
  });

  it("translates the renamed ISO codes", () => {
    expect(codeForMapId("tg")).toBe("TS");
    expect(codeForMapId("or")).toBe("OD");
    expect(codeForMapId("ut")).toBe("UK");
    expect(codeForMapId("ct")).toBe("CG");
    expect(codeForMapId("OR")).toBe("OD");
    expect(codeForMapId("xx")).toBeUndefined();
  });

  it("draws DH with the two old union territory paths", () => {
    expect(mapIdsForCode("DH").sort()).toEqual(["dd", "dn"]);
    expect(mapIdsForCode("TS")).toEqual(["tg"]);
    expect(mapIdsForCode("LA")).toEqual([]);
    expect(mapIdsForCode("ka")).toEqual(["ka"]);
  });

  it("finds the state of a district code", () => {
    expect(stateOf("KA-017")).toBe("KA");
    expect(stateOf("ka")).toBe("KA");
    expect(isDistrict("KA-017")).toBe(true);
    expect(isDistrict("KA")).toBe(false);
  });
});
