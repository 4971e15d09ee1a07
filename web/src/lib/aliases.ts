// Explicit alias table between the map's path ids (@svg-maps/india) and our
// location codes (ISO 3166-2:IN without "IN-", as of 2023).

/**
 * Every path id drawn by @svg-maps/india 2.0.0 and the location code it shows.
 * The map predates four ISO code changes (OR→OD 2019, CT→CG, TG→TS, UT→UK 2023)
 * and the merger of Dadra and Nagar Haveli with Daman and Diu (DH, 2020): both
 * old paths (dn, dd) show DH. Ladakh (LA) has no path of its own — the map's
 * jk path covers both — so LA is drawn as a marker at its coordinates.
 */
export const MAP_ID_TO_CODE: Readonly<Record<string, string>> = Object.freeze({
  an: "AN", ap: "AP", ar: "AR", as: "AS", br: "BR", ch: "CH",
  ct: "CG", // Chhattisgarh: map CT, ISO CG since 2023
  dn: "DH", // Dadra and Nagar Haveli (merged into DH, 2020)
  dd: "DH", // Daman and Diu (merged into DH, 2020)
  dl: "DL", ga: "GA", gj: "GJ", hr: "HR", hp: "HP", jk: "JK", jh: "JH",
  ka: "KA", kl: "KL", ld: "LD", mp: "MP", mh: "MH", mn: "MN", ml: "ML",
  mz: "MZ", nl: "NL",
  or: "OD", // Odisha: map OR, ISO OD since 2019
  py: "PY", pb: "PB", rj: "RJ", sk: "SK", tn: "TN",
  tg: "TS", // Telangana: map TG, ISO TS
  tr: "TR", up: "UP",
  ut: "UK", // Uttarakhand: map UT, ISO UK since 2023
  wb: "WB",
});

/** Our state codes that have no path on the map and are drawn as markers. */
export const CODES_WITHOUT_PATH: readonly string[] = Object.freeze(["LA"]);

/** The location code a map path id stands for, or undefined if unknown. */
export function codeForMapId(mapId: string): string | undefined {
  return MAP_ID_TO_CODE[mapId.toLowerCase()];
}

/** The map path ids that draw a location code (DH has two; LA none). */
export function mapIdsForCode(code: string): string[] {
  const upper = code.toUpperCase();
  return Object.keys(MAP_ID_TO_CODE).filter((id) => MAP_ID_TO_CODE[id] === upper);
}

/** The state a location belongs to: "KA-017" → "KA", "KA" → "KA". */
export function stateOf(locationCode: string): string {
  const dash = locationCode.indexOf("-");
  return (dash < 0 ? locationCode : locationCode.slice(0, dash)).toUpperCase();
}

/** True for synthetic district codes such as "KA-017". */
export function isDistrict(locationCode: string): boolean {
  return locationCode.includes("-");
}
