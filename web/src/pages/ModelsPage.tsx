// The models: every version with its training window and backtest metrics; which is current.

import { getJson } from "../api/client";
import type { ModelInfo, ModelsResponse } from "../api/types";
import { ErrorState, Loading } from "../components/ErrorState";
import { versionTime } from "../lib/aggregate";
import { useApi } from "../lib/useApi";

function formatMetric(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(3);
  if (v && typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** Models grouped by name, current version first, then newest first. */
export function groupModels(models: ModelInfo[]): Array<[string, ModelInfo[]]> {
  const groups = new Map<string, ModelInfo[]>();
  for (const m of models) groups.set(m.name, [...(groups.get(m.name) ?? []), m]);
  for (const list of groups.values()) {
    list.sort((a, b) => Number(b.current) - Number(a.current) || b.version.localeCompare(a.version));
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function ModelsPage() {
  const [state, reload] = useApi((signal) => getJson<ModelsResponse>("/api/models", { signal }), []);
  if (state.status === "loading") return <Loading what="models" />;
  if (state.status === "error") {
    return <ErrorState error={state.error} onRetry={reload} noDataHint="No models yet — run `climahealth batch`, then `climahealth train`." />;
  }
  const groups = groupModels(state.data.models);
  if (groups.length === 0) {
    return (
      <div className="error-state" role="alert" data-error-kind="not_found">
        <h2>No models yet</h2>
        <p>
          Run <code>climahealth batch</code>, then <code>climahealth train</code>.
        </p>
      </div>
    );
  }
  return (
    <div className="models">
      <h2>Models</h2>
      <div className="table-scroll">
        <table data-testid="models-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Version</th>
              <th scope="col">Trained</th>
              <th scope="col">Training window</th>
              <th scope="col">Backtest metrics</th>
              <th scope="col">Features</th>
            </tr>
          </thead>
          <tbody>
            {groups.flatMap(([name, list]) =>
              list.map((m) => (
                <tr key={`${name}/${m.version}`} className={m.current ? "current" : ""}>
                  <th scope="row">{name}</th>
                  <td>
                    <code>{m.version}</code> {m.current && <span className="badge current-badge">current</span>}
                  </td>
                  <td>{m.created_at ?? versionTime(m.version)}</td>
                  <td>
                    {m.training_window?.start ?? "?"} – {m.training_window?.end ?? "?"}
                  </td>
                  <td>
                    {Object.entries(m.metrics ?? {}).map(([k, v]) => (
                      <div key={k}>
                        {k}: <strong>{formatMetric(v)}</strong>
                      </div>
                    ))}
                  </td>
                  <td title={(m.features ?? []).join(", ")}>{m.features?.length ?? 0}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
