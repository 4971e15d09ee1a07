// @vitest-environment node
// Classifying API answers and failures against a real HTTP server on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, apiBase, fileUrl, getJson, getJsonOrNull } from "../../src/api/client";
import { type FixtureServer, closedPort, startFixtureServer } from "../support/server";

let server: FixtureServer;

beforeAll(async () => {
  server = await startFixtureServer({
    "/health": { body: { status: "ok" } },
    "/api/broken": { status: 500, body: { error: { code: "internal", message: "disk on fire", parameter: null } } },
    "/api/busy": { status: 503, body: { error: { code: "unavailable", message: "storage not reachable", parameter: null } } },
    "/api/bad": { status: 400, body: { error: { code: "invalid_argument", message: "bad date", parameter: "start" } } },
    "/api/html": { body: "<html></html>", contentType: "text/html" },
  });
});
afterAll(() => server.close());

async function failure(path: string, base = server.base): Promise<ApiError> {
  try {
    await getJson(path, { base });
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error(`expected ${path} to fail`);
}

describe("getJson", () => {
  it("returns the parsed document", async () => {
    expect(await getJson("/health", { base: server.base })).toEqual({ status: "ok" });
  });

  it("classifies HTTP errors and keeps the API's message", async () => {
    expect(await failure("/api/nothing")).toMatchObject({ kind: "not_found", status: 404 });
    expect(await failure("/api/broken")).toMatchObject({ kind: "server", status: 500, message: "disk on fire" });
    expect(await failure("/api/busy")).toMatchObject({ kind: "unavailable", status: 503, message: "storage not reachable" });
    expect(await failure("/api/bad")).toMatchObject({ kind: "invalid", status: 400, message: "bad date" });
  });

  it("rejects a non-JSON answer, e.g. an HTML page from the wrong server", async () => {
    const e = await failure("/api/html");
    expect(e.kind).toBe("server");
    expect(e.message).toContain("text/html");
  });

  it("reports an unreachable API with its address", async () => {
    const base = `http://127.0.0.1:${await closedPort()}`;
    const e = await failure("/api/locations", base);
    expect(e.kind).toBe("unreachable");
    expect(e.base).toBe(base);
  });

  it("turns 404 into null only in getJsonOrNull", async () => {
    expect(await getJsonOrNull("/api/predictions/latest", { base: server.base })).toBeNull();
    await expect(getJsonOrNull("/api/broken", { base: server.base })).rejects.toMatchObject({ kind: "server" });
  });
});

describe("URLs", () => {
  it("takes the API address from ?api= and encodes object keys", () => {
    expect(apiBase("?api=http://127.0.0.1:9000/")).toBe("http://127.0.0.1:9000");
    expect(fileUrl("processed", "predictions/2024-11-11/risk.json", "")).toBe("/api/files/processed/predictions/2024-11-11/risk.json");
    expect(fileUrl("raw", "raw/a b.csv", "http://h")).toBe("http://h/api/files/raw/raw/a%20b.csv");
  });
});
