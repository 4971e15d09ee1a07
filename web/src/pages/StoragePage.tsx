// The storage: buckets, their object counts and bytes, and the newest data.

import { getJson } from "../api/client";
import type { StorageStats } from "../api/types";
import { ErrorState, Loading } from "../components/ErrorState";
import { formatBytes } from "../lib/aggregate";
import { useApi } from "../lib/useApi";

export function StoragePage() {
  const [state, reload] = useApi((signal) => getJson<StorageStats>("/api/storage/stats", { signal }), []);
  if (state.status === "loading") return <Loading what="storage statistics" />;
  if (state.status === "error") return <ErrorState error={state.error} onRetry={reload} />;
  const stats = state.data;
  return (
    <div className="storage">
      <h2>Storage</h2>
      <p>
        Newest predictions: <strong data-testid="newest-prediction">{stats.newest_prediction_date ?? "none yet"}</strong>
      </p>
      <div className="table-scroll">
        <table data-testid="buckets-table">
          <thead>
            <tr>
              <th scope="col">Bucket</th>
              <th scope="col">Name</th>
              <th scope="col">Objects</th>
              <th scope="col">Size</th>
              <th scope="col">Newest object</th>
            </tr>
          </thead>
          <tbody>
            {stats.buckets.map((b) => (
              <tr key={b.logical}>
                <th scope="row">{b.logical}</th>
                <td><code>{b.name}</code></td>
                <td className="num">{b.objects.toLocaleString("en")}</td>
                <td className="num" title={`${b.bytes} bytes`}>{formatBytes(b.bytes)}</td>
                <td>
                  {b.newest_object ? (
                    <>
                      <code>{b.newest_object.key}</code> <span className="since">{b.newest_object.last_modified}</span>
                    </>
                  ) : (
                    "empty"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
