// A tiny hash router: #/ , #/location/KA?disease=dengue , #/models , #/storage.

import { useEffect, useState } from "react";

export type Route =
  | { page: "overview"; disease: string | null }
  | { page: "location"; code: string; disease: string | null }
  | { page: "models" }
  | { page: "storage" }
  | { page: "not_found"; path: string };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?", 2);
  const disease = new URLSearchParams(query).get("disease");
  const parts = path.split("/").filter(Boolean);
  if (parts.length === 0) return { page: "overview", disease };
  if (parts[0] === "location" && parts.length === 2) {
    return { page: "location", code: decodeURIComponent(parts[1]).toUpperCase(), disease };
  }
  if (parts[0] === "models" && parts.length === 1) return { page: "models" };
  if (parts[0] === "storage" && parts.length === 1) return { page: "storage" };
  return { page: "not_found", path };
}

export function overviewHref(disease?: string | null): string {
  return disease ? `#/?disease=${encodeURIComponent(disease)}` : "#/";
}

export function locationHref(code: string, disease?: string | null): string {
  const base = `#/location/${encodeURIComponent(code)}`;
  return disease ? `${base}?disease=${encodeURIComponent(disease)}` : base;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
