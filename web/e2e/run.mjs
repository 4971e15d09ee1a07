// End-to-end suite: the built dashboard in headless Chromium against the real
// `climahealth serve` on generator data. Screenshots and a JSON report go to
// web/test-results/. Exit status 0 only if every check passed.

import { strict as assert } from "node:assert";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { REPO_DIR, WEB_DIR, catObject, findBinary, makeStore, putJson, runCli, startServer, subcommands } from "./stack.mjs";

const RESULTS = join(WEB_DIR, "test-results");
const DIST = join(WEB_DIR, "dist");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const LEVEL_RGB = {
  low: "rgb(255, 255, 178)", // #ffffb2
  moderate: "rgb(254, 204, 92)", // #fecc5c
  high: "rgb(253, 141, 60)", // #fd8d3c
  severe: "rgb(227, 26, 28)", // #e31a1c
  none: "rgb(217, 217, 217)", // #d9d9d9
};
const LEVELS = ["low", "moderate", "high", "severe"];
// Map path ids whose code differs from ours, checked explicitly below.
const ALIASES = { tg: "TS", or: "OD", ut: "UK", ct: "CG", dn: "DH", dd: "DH" };

const report = { started_at: new Date().toISOString(), pipeline: [], endpoints: [], checks: [] };
const log = (msg) => console.log(`[e2e] ${msg}`);

async function check(name, fn) {
  const started = Date.now();
  try {
    const detail = await fn();
    report.checks.push({ name, ok: true, ms: Date.now() - started, detail: detail ?? null });
    log(`PASS ${name}`);
  } catch (e) {
    report.checks.push({ name, ok: false, ms: Date.now() - started, error: String(e?.stack ?? e) });
    log(`FAIL ${name}: ${e?.message ?? e}`);
  }
}

function runPipeline(bin, store) {
  const steps = [
    ["generate", "--years", "2", "--districts-per-state", "1", "--seed", "7"],
    ["batch"],
    // Fewer rounds and one backtest fold: the browser checks need real models,
    // not the best ones, and this keeps CI quick.
    ["train", "--rounds", "40", "--folds", "1", "--fold-days", "60"],
    ["predict"],
    ["forecast"],
    ["alerts"],
  ];
  const available = subcommands(bin, store.env);
  report.subcommands = [...available];
  for (const args of steps) {
    if (!available.has(args[0])) {
      report.pipeline.push({ step: args.join(" "), ok: false, output: "no such subcommand in this binary" });
      log(`pipeline: climahealth ${args[0]} does not exist yet`);
      continue;
    }
    const r = runCli(bin, store.env, args);
    report.pipeline.push({ step: args.join(" "), ok: r.ok, seconds: r.seconds, output: r.output.slice(-2000) });
    log(`pipeline: climahealth ${args.join(" ")} → ${r.ok ? "ok" : `exit ${r.status}`} (${r.seconds.toFixed(1)} s)`);
  }
}

const PROBES = [
  ["/health", "json"], ["/ready", "json"], ["/api/locations", "json"],
  ["/api/climate?location=KA", "json"], ["/api/health?location=KA", "json"], ["/api/hospital?location=KA", "json"],
  ["/api/climate?location=KA&format=csv", "csv"],
  ["/api/predictions/latest", "json"], ["/api/forecasts/latest", "json"], ["/api/alerts/latest", "json"],
  ["/api/models", "json"], ["/api/storage/stats", "json"], ["/openapi.json", "json"], ["/", "html"],
];

async function probeEndpoints(base) {
  for (const [path, kind] of PROBES) {
    let entry;
    try {
      const res = await fetch(base + path);
      const type = res.headers.get("content-type") ?? "";
      const body = await res.text();
      const typeOk = kind === "json" ? type.includes("json") : kind === "csv" ? type.includes("csv") : type.includes("html");
      entry = { path, status: res.status, content_type: type, ok: res.ok && typeOk, body: res.ok ? undefined : body.slice(0, 300) };
    } catch (e) {
      entry = { path, status: 0, ok: false, body: String(e) };
    }
    report.endpoints.push(entry);
    if (!entry.ok) log(`endpoint ${path}: ${entry.status} ${entry.content_type ?? ""} ${entry.body ?? ""}`);
  }
}

async function getJson(base, path) {
  const res = await fetch(base + path);
  assert.equal(res.status, 200, `GET ${path} → ${res.status} ${await res.clone().text()}`);
  return res.json();
}

async function openOverview(page, base, query = "") {
  await page.goto(`${base}/${query}#/`);
  await page.waitForSelector("path.state", { timeout: 20000 });
  await page.waitForSelector('[data-testid="data-dates"], [data-testid="no-predictions"]', { timeout: 20000 });
}

async function main() {
  mkdirSync(RESULTS, { recursive: true });
  const bin = findBinary();
  log(`binary ${bin}`);
  const store = makeStore();
  log(`store ${store.root}`);
  let server = null;
  let browser = null;
  try {
    runPipeline(bin, store);
    try {
      if (!subcommands(bin, store.env).has("serve")) throw new Error("this climahealth binary has no `serve` subcommand yet");
      server = await startServer(bin, store.env, DIST, log);
    } catch (e) {
      report.checks.push({ name: "climahealth serve starts and answers /health", ok: false, error: String(e.message ?? e) });
      throw e;
    }
    const base = server.base;
    await probeEndpoints(base);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on("pageerror", (e) => consoleErrors.push(String(e)));

    await check("overview renders the map of 36 state paths with the data date", async () => {
      await openOverview(page, base);
      const paths = await page.locator("path.state").count();
      assert.equal(paths, 36);
      const latest = await getJson(base, "/api/predictions/latest");
      assert.equal(await page.locator('[data-testid="data-date"]').textContent(), latest.date);
      const coloured = await page.locator('path.state:not([data-level="none"])').count();
      assert.ok(coloured >= 30, `only ${coloured} of 36 states have a colour`);
      await page.screenshot({ path: join(RESULTS, "overview-1280.png"), fullPage: true });
      return { date: latest.date, coloured };
    });

    await check("alerts list matches GET /api/alerts/latest, most severe first", async () => {
      const api = await getJson(base, "/api/alerts/latest");
      await openOverview(page, base);
      const shown = await page.locator("li.alert").evaluateAll((els) =>
        els.map((e) => ({ id: e.getAttribute("data-alert-id"), severity: e.getAttribute("data-severity") })),
      );
      assert.deepEqual(shown.map((a) => a.id).sort(), api.alerts.map((a) => String(a.id)).sort());
      const rank = { moderate: 0, high: 1, severe: 2 };
      for (let i = 1; i < shown.length; i++) {
        assert.ok(rank[shown[i - 1].severity] >= rank[shown[i].severity], `alert ${i} out of order`);
      }
      const bySeverity = Object.fromEntries(["severe", "high", "moderate"].map((s) => [s, api.alerts.filter((a) => a.severity === s).length]));
      return { alerts: shown.length, bySeverity };
    });

    let forecastDate = null;
    await check("clicking a state opens its page with the forecast chart", async () => {
      await openOverview(page, base);
      await clickVisiblePart(page, 'path.state[data-map-id="ka"]');
      await page.waitForFunction(() => /^#\/location\/KA(\?|$)/.test(window.location.hash));
      await page.waitForSelector('[data-testid="location-title"]', { timeout: 20000 });
      const chart = page.locator('[data-testid="cases-chart"]');
      await chart.locator("canvas").first().waitFor({ timeout: 20000 });
      const caption = await chart.locator("figcaption").textContent();
      const fc = await getJson(base, "/api/forecasts/latest?location=KA&disease=dengue");
      forecastDate = fc.date;
      assert.ok(fc.forecasts.length > 0, "the API has no KA dengue forecast");
      assert.match(caption, /-day forecast/);
      const legend = await chart.locator(".u-legend").textContent();
      assert.match(legend, /forecast \(expected\)/);
      for (const id of ["temp-chart", "rain-chart", "pm-chart"]) {
        await page.locator(`[data-testid="${id}"] canvas`).first().waitFor({ timeout: 10000 });
      }
      await page.screenshot({ path: join(RESULTS, "location-KA-1280.png"), fullPage: true });
      return { caption, forecast_date: forecastDate };
    });

    await check("the download link returns the stored predictions file", async () => {
      await page.goto(`${base}/#/location/KA`);
      const link = page.locator('[data-testid="download-predictions"]');
      await link.waitFor({ timeout: 20000 });
      const href = await link.getAttribute("href");
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      const got = readFileSync(await download.path());
      const date = /predictions\/(\d{4}-\d{2}-\d{2})\/risk\.json/.exec(href)?.[1];
      assert.ok(date, `unexpected link ${href}`);
      const stored = catObject(bin, store.env, "processed", `predictions/${date}/risk.json`);
      assert.ok(got.equals(stored), `downloaded ${got.length} bytes, the store holds ${stored.length}`);
      const csv = await fetch(`${base}/api/climate?location=KA&format=csv`);
      assert.equal(csv.status, 200);
      assert.match((await csv.text()).split("\n")[0], /date/);
      return { href, bytes: got.length };
    });

    await check("a state opens with the keyboard (Tab focus, Enter)", async () => {
      await openOverview(page, base);
      // Tab from the top of the page until a state of the map has the focus.
      await page.evaluate(() => document.activeElement instanceof HTMLElement && document.activeElement.blur());
      let tabs = 0;
      let code = null;
      while (tabs < 30 && !code) {
        await page.keyboard.press("Tab");
        tabs++;
        code = await page.evaluate(() => (document.activeElement?.matches("path.state") ? document.activeElement.getAttribute("data-code") : null));
      }
      assert.ok(code, "30 presses of Tab never reached a state on the map");
      await page.keyboard.press("Enter");
      await page.waitForFunction((c) => window.location.hash.startsWith(`#/location/${c}`), code);
      await page.goto(`${base}/#/`);
      await page.waitForSelector("path.state");
      await page.locator('path.state[data-map-id="tg"]').focus();
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-code")), "TS");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => window.location.hash.startsWith("#/location/TS"));
      // The hash changes before React replaces the map: a Tab pressed in between
      // moves along the old map, whose focused path is then removed.
      await page.waitForSelector('[data-testid="location-title"]', { timeout: 20000 });
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => document.activeElement?.tagName);
      assert.ok(focused && focused !== "BODY", "Tab does not reach anything on the location page");
      return { tabs_to_first_state: tabs, first_state: code };
    });

    await check("models and storage pages show what the API reports", async () => {
      const models = await getJson(base, "/api/models");
      await page.goto(`${base}/#/models`);
      await page.waitForSelector('[data-testid="models-table"], .error-state', { timeout: 20000 });
      const rows = await page.locator('[data-testid="models-table"] tbody tr').count();
      assert.equal(rows, models.models.length);
      const current = await page.locator('[data-testid="models-table"] .current-badge').count();
      assert.equal(current, models.models.filter((m) => m.current).length);
      await page.screenshot({ path: join(RESULTS, "models-1280.png"), fullPage: true });
      const stats = await getJson(base, "/api/storage/stats");
      await page.goto(`${base}/#/storage`);
      await page.waitForSelector('[data-testid="buckets-table"]', { timeout: 20000 });
      assert.equal(await page.locator('[data-testid="buckets-table"] tbody tr').count(), stats.buckets.length);
      await page.screenshot({ path: join(RESULTS, "storage-1280.png"), fullPage: true });
      return { models: rows, buckets: stats.buckets.length };
    });

    await check("works at 375 px wide without horizontal scrolling", async () => {
      const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      const p = await phone.newPage();
      try {
        await openOverview(p, base);
        const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `overview is ${overflow}px wider than the screen`);
        const mapWidth = await p.locator("svg.india-map").evaluate((e) => e.getBoundingClientRect().width);
        assert.ok(mapWidth > 300 && mapWidth <= 375, `map is ${mapWidth}px wide`);
        await p.screenshot({ path: join(RESULTS, "overview-375.png"), fullPage: true });
        await p.goto(`${base}/#/location/KA`);
        await p.locator('[data-testid="cases-chart"] canvas').first().waitFor({ timeout: 20000 });
        const overflow2 = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow2 <= 1, `location page is ${overflow2}px wider than the screen`);
        await p.screenshot({ path: join(RESULTS, "location-KA-375.png"), fullPage: true });
      } finally {
        await phone.close();
      }
    });

    await check("the map shows the right colours for a known predictions fixture", async () => {
      const { locations } = await getJson(base, "/api/locations");
      const latest = await getJson(base, "/api/predictions/latest").catch(() => ({ date: "2030-01-01" }));
      const fixtureDate = new Date(Date.parse(`${latest.date}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
      const doc = fixtureDocument(locations, fixtureDate);
      const put = putJson(bin, store.env, store.dir, "processed", `predictions/${fixtureDate}/risk.json`, doc.document);
      assert.ok(put.ok, `climahealth store put failed: ${put.output}`);
      // The server revalidates cached answers after cache_ttl_ms (1 s by
      // default), so a new document shows up within a few seconds.
      let now = null;
      for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
        now = await getJson(base, "/api/predictions/latest");
        if (now.date === fixtureDate) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(now.date, fixtureDate, "GET /api/predictions/latest does not return the newest document within 5 s");
      await openOverview(page, base);
      assert.equal(await page.locator('[data-testid="data-date"]').textContent(), fixtureDate);
      const fills = await page.locator("path.state").evaluateAll((els) =>
        els.map((e) => ({ id: e.getAttribute("data-map-id"), code: e.getAttribute("data-code"), fill: getComputedStyle(e).fill })),
      );
      const wrong = [];
      for (const f of fills) {
        const expected = LEVEL_RGB[doc.expectedState[f.code] ?? "none"];
        if (f.fill !== expected) wrong.push(`${f.id}→${f.code}: ${f.fill}, expected ${expected}`);
        if (ALIASES[f.id] && f.code !== ALIASES[f.id]) wrong.push(`${f.id} is drawn as ${f.code}, expected ${ALIASES[f.id]}`);
      }
      const markers = await page.locator("g.marker").evaluateAll((els) =>
        els.map((e) => ({ code: e.getAttribute("data-code"), fill: getComputedStyle(e.querySelector("circle")).fill })),
      );
      for (const m of markers) {
        const expected = LEVEL_RGB[m.code.includes("-") ? doc.levels[m.code] : doc.expectedState[m.code]];
        if (m.fill !== expected) wrong.push(`marker ${m.code}: ${m.fill}, expected ${expected}`);
      }
      assert.ok(markers.some((m) => m.code === "LA"), "Ladakh has no marker");
      assert.deepEqual(wrong, []);
      await page.screenshot({ path: join(RESULTS, "overview-fixture-1280.png"), fullPage: true });
      return { date: fixtureDate, paths: fills.length, markers: markers.length };
    });

    await check("no uncaught errors in the page", async () => {
      assert.deepEqual(consoleErrors, []);
    });

    await check("when the API goes down the page says how to start it", async () => {
      await openOverview(page, base);
      await server.stop();
      assert.equal(server.isRunning(), false);
      // The page is already loaded; moving inside it makes it ask the API again.
      await page.evaluate(() => {
        window.location.hash = "#/models";
      });
      await page.waitForSelector('[role="alert"]', { timeout: 20000 });
      const retry = await page.getByRole("button", { name: "Retry" }).count();
      assert.equal(retry, 1, "no Retry button");
      const alertText = await page.locator('[role="alert"]').first().textContent();
      assert.match(alertText, new RegExp(`Cannot reach the climahealth API at ${base.replace(/[.]/g, "\\.")}`));
      assert.match(alertText, /climahealth serve/);
      await page.screenshot({ path: join(RESULTS, "api-down-1280.png"), fullPage: true });
      return { message: alertText };
    });
  } catch (e) {
    log(`aborted: ${e?.message ?? e}`);
    report.aborted = String(e?.message ?? e);
  } finally {
    if (browser) await browser.close();
    if (server) {
      await server.stop();
      writeFileSync(join(RESULTS, "serve.log"), server.output());
    }
    if (process.env.E2E_KEEP_STORE) log(`kept ${store.dir}`);
    else store.remove();
  }
  finish();
}

/**
 * Clicks a point of the element that nothing covers (a state path may have
 * district markers on top, so its centre is not always its own).
 */
async function clickVisiblePart(page, selector) {
  const point = await page.locator(selector).evaluate((el) => {
    el.scrollIntoView({ block: "center" });
    const box = el.getBoundingClientRect();
    for (let fy = 0.5, step = 0; step < 12; step++) {
      for (let fx = 0.2; fx <= 0.8; fx += 0.1) {
        const x = box.left + box.width * fx;
        const y = box.top + box.height * (fy + (step % 2 ? 1 : -1) * 0.05 * Math.ceil(step / 2));
        if (document.elementFromPoint(x, y) === el) return { x, y };
      }
    }
    return null;
  });
  assert.ok(point, `no uncovered point on ${selector}`);
  await page.mouse.click(point.x, point.y);
}

/**
 * A predictions document covering every location with a known level, and the
 * colour each state must get: the worst of the state and its districts.
 */
function fixtureDocument(locations, date) {
  const levels = {};
  locations.forEach((l, i) => (levels[l.location_code] = LEVELS[i % 4]));
  // Pin the interesting cases: a low state with a severe district, and the aliased codes.
  const kaDistrict = locations.find((l) => l.location_code.startsWith("KA-"))?.location_code;
  levels.KA = "low";
  if (kaDistrict) levels[kaDistrict] = "severe";
  Object.assign(levels, { TS: "high", OD: "moderate", UK: "severe", CG: "low", DH: "high", LA: "moderate" });
  for (const code of ["TS", "OD", "UK", "CG", "DH"]) {
    for (const l of locations) if (l.location_code.startsWith(`${code}-`)) levels[l.location_code] = "low";
  }
  const expectedState = {};
  for (const [code, level] of Object.entries(levels)) {
    const state = code.split("-")[0];
    const prev = expectedState[state];
    if (prev == null || LEVELS.indexOf(level) > LEVELS.indexOf(prev)) expectedState[state] = level;
  }
  const score = { low: 0.1, moderate: 0.4, high: 0.7, severe: 0.95 };
  const predictions = Object.entries(levels).map(([location_code, level]) => ({
    location_code,
    disease: "dengue",
    risk_score: score[level],
    risk_level: level,
    probabilities: Object.fromEntries(LEVELS.map((l) => [l, l === level ? 0.85 : 0.05])),
  }));
  return {
    levels,
    expectedState,
    document: {
      kind: "predictions",
      date,
      generated_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      models: { risk_dengue: "20300101T000000Z-e2e00000" },
      input: { manifest: "processed/manifest.json", etag: "e2e-fixture" },
      predictions,
    },
  };
}

function finish() {
  report.finished_at = new Date().toISOString();
  report.failed_endpoints = report.endpoints.filter((e) => !e.ok).map((e) => `${e.path} → ${e.status}`);
  writeFileSync(join(RESULTS, "e2e-report.json"), JSON.stringify(report, null, 2));
  const failed = report.checks.filter((c) => !c.ok);
  const pipelineFailed = report.pipeline.filter((p) => !p.ok);
  log("---- summary");
  for (const p of report.pipeline) log(`pipeline ${p.ok ? "ok  " : "FAIL"} climahealth ${p.step}`);
  for (const e of report.endpoints) log(`endpoint ${e.ok ? "ok  " : "FAIL"} GET ${e.path} → ${e.status}`);
  for (const c of report.checks) log(`check    ${c.ok ? "ok  " : "FAIL"} ${c.name}`);
  log(`${report.checks.length - failed.length}/${report.checks.length} checks passed; report in ${join(RESULTS, "e2e-report.json").replace(`${REPO_DIR}/`, "")}`);
  process.exitCode = failed.length || pipelineFailed.length || report.aborted || report.checks.length === 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
