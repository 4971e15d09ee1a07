// Fetching from the climahealth API, with errors classified into what the user should do.

export type ApiErrorKind = "unreachable" | "not_found" | "unavailable" | "invalid" | "server";

/** An API failure with enough detail to tell the user what to do next. */
export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly path: string;
  readonly base: string;

  constructor(kind: ApiErrorKind, message: string, path: string, base: string, status = 0) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.status = status;
    this.path = path;
    this.base = base;
  }
}

/**
 * Where the API lives. The dashboard is normally served by `climahealth serve`
 * itself, so the API is the page's own origin; `?api=http://host:port` in the
 * page URL points it elsewhere (useful with `vite dev`).
 */
export function apiBase(search: string = typeof window === "undefined" ? "" : window.location.search): string {
  const fromQuery = new URLSearchParams(search).get("api");
  if (fromQuery) return fromQuery.replace(/\/+$/, "");
  if (typeof window !== "undefined" && window.location.origin.startsWith("http")) {
    return window.location.origin;
  }
  return "";
}

/** The URL of an API path such as "/api/locations" (query kept). */
export function apiUrl(path: string, base: string = apiBase()): string {
  return base + path;
}

/** "/api/files/processed/predictions/2024-01-01/risk.json" for a stored object. */
export function fileUrl(bucket: string, key: string, base: string = apiBase()): string {
  const encodedKey = key.split("/").map(encodeURIComponent).join("/");
  return `${base}/api/files/${encodeURIComponent(bucket)}/${encodedKey}`;
}

function errorKindForStatus(status: number): ApiErrorKind {
  if (status === 404) return "not_found";
  if (status === 503) return "unavailable";
  if (status >= 400 && status < 500) return "invalid";
  return "server";
}

async function errorFromResponse(res: Response, path: string, base: string): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body = (await res.json()) as { error?: { message?: string; code?: string } };
    if (body?.error?.message) message = body.error.message;
  } catch {
    // Not a JSON error document: keep the status line.
  }
  return new ApiError(errorKindForStatus(res.status), message, path, base, res.status);
}

/** GET a JSON document; every failure becomes an ApiError. */
export async function getJson<T>(path: string, options: { base?: string; signal?: AbortSignal } = {}): Promise<T> {
  const base = options.base ?? apiBase();
  let res: Response;
  try {
    res = await fetch(apiUrl(path, base), { headers: { Accept: "application/json" }, signal: options.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError("unreachable", `Cannot reach ${base || "the API"}: ${String(e)}`, path, base);
  }
  if (!res.ok) throw await errorFromResponse(res, path, base);
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("json")) {
    throw new ApiError("server", `Expected JSON from ${path} but got "${type || "no content type"}"`, path, base, res.status);
  }
  try {
    return (await res.json()) as T;
  } catch (e) {
    throw new ApiError("server", `Malformed JSON from ${path}: ${String(e)}`, path, base, res.status);
  }
}

/** Like getJson, but a 404 (no such document yet) gives null instead of an error. */
export async function getJsonOrNull<T>(path: string, options: { base?: string; signal?: AbortSignal } = {}): Promise<T | null> {
  try {
    return await getJson<T>(path, options);
  } catch (e) {
    if (e instanceof ApiError && e.kind === "not_found") return null;
    throw e;
  }
}
