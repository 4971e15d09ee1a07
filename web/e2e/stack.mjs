// The real back end for the end-to-end suite: the climahealth binary, a temporary
// local store filled by the generator and the jobs, and `climahealth serve`.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const WEB_DIR = resolve(import.meta.dirname, "..");
export const REPO_DIR = resolve(WEB_DIR, "..");

/** The binary under test: $CLIMAHEALTH_BIN, else build-dashboard's. */
export function findBinary() {
  const bin = process.env.CLIMAHEALTH_BIN ?? join(REPO_DIR, "build-dashboard/src/cli/climahealth");
  if (!existsSync(bin)) {
    throw new Error(`climahealth binary not found at ${bin}: build it (scripts/web-test.sh does) or set CLIMAHEALTH_BIN`);
  }
  return resolve(bin);
}

/** A store root in a fresh temporary directory, and the environment that selects it. */
export function makeStore() {
  const dir = mkdtempSync(join(tmpdir(), "climahealth-e2e-"));
  const root = join(dir, "store");
  const env = { ...process.env, CLIMAHEALTH_STORE: "local", CLIMAHEALTH_STORAGE_ROOT: root };
  for (const k of ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "CLIMAHEALTH_CONFIG"]) delete env[k];
  return { dir, root, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `climahealth args…`; returns {ok, status, output} and never throws. */
export function runCli(bin, env, args, timeoutMs = 20 * 60 * 1000) {
  const started = Date.now();
  const r = spawnSync(bin, args, { env, encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  return {
    ok: r.status === 0,
    status: r.status,
    seconds: (Date.now() - started) / 1000,
    output: r.error ? `${r.error.message}\n${output}` : output,
  };
}

/** The subcommands `climahealth --help` lists. */
export function subcommands(bin, env) {
  const help = runCli(bin, env, ["--help"], 30000).output;
  const section = help.split(/^subcommands:[ \t]*\n/im)[1] ?? "";
  const names = new Set();
  for (const line of section.split("\n")) {
    if (line.trim() === "") break;
    const m = /^ {2}([a-z][a-z0-9-]*)\s/.exec(line);
    if (m) names.add(m[1]);
  }
  return names;
}

/** The bytes of s3://BUCKET/KEY through `climahealth store cat`. */
export function catObject(bin, env, bucket, key) {
  const r = spawnSync(bin, ["store", "cat", `s3://${bucket}/${key}`], { env, maxBuffer: 256 << 20 });
  if (r.status !== 0) throw new Error(`climahealth store cat s3://${bucket}/${key}: ${r.stderr}`);
  return r.stdout;
}

/** Stores a JSON document under s3://BUCKET/KEY through `climahealth store put`. */
export function putJson(bin, env, dir, bucket, key, doc) {
  const file = join(dir, `put-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return runCli(bin, env, ["store", "put", file, `s3://${bucket}/${key}`, "--content-type", "application/json"]);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}

/** Starts `climahealth serve` on a free port with the built dashboard; waits for /health. */
export async function startServer(bin, env, staticDir, log) {
  const port = await freePort();
  const args = ["serve", "--host", "127.0.0.1", "--port", String(port), "--static", staticDir];
  const child = spawn(bin, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  let exited = null;
  child.on("exit", (code, signal) => (exited = { code, signal }));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`climahealth serve exited (${JSON.stringify(exited)}):\n${output}`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) {
        log(`serve is up at ${base} (pid ${child.pid})`);
        return {
          base,
          port,
          pid: child.pid,
          output: () => output,
          stop: () => stopChild(child),
          isRunning: () => exited == null,
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stopChild(child);
  throw new Error(`climahealth serve did not answer GET /health within 60 s:\n${output}`);
}

function stopChild(child) {
  return new Promise((done) => {
    if (child.exitCode != null || child.signalCode != null) return done();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}
