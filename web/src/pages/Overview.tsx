// The overview: today's risk map for one disease, the legend, alerts and data/model dates.

import { getJson, getJsonOrNull } from "../api/client";
import type { AlertsDocument, LocationsResponse, PredictionsDocument } from "../api/types";
import { AlertsList } from "../components/AlertsList";
import { ErrorState, Loading, NO_DATA_HINT, renderCode } from "../components/ErrorState";
import { IndiaMap } from "../components/IndiaMap";
import { Legend } from "../components/Legend";
import { countBySeverity, riskByLocation, riskByState, versionTime } from "../lib/aggregate";
import { isDistrict } from "../lib/aliases";
import { locationHref, overviewHref } from "../lib/router";
import { DISEASES, diseaseLabel, isDisease, levelColour, levelTextColour } from "../lib/risk";
import { useApi } from "../lib/useApi";

interface OverviewData {
  locations: LocationsResponse;
  predictions: PredictionsDocument | null;
  alerts: AlertsDocument | null;
}

async function loadOverview(signal: AbortSignal): Promise<OverviewData> {
  const [locations, predictions, alerts] = await Promise.all([
    getJson<LocationsResponse>("/api/locations", { signal }),
    getJsonOrNull<PredictionsDocument>("/api/predictions/latest", { signal }),
    getJsonOrNull<AlertsDocument>("/api/alerts/latest", { signal }),
  ]);
  return { locations, predictions, alerts };
}

export function Overview(props: { disease: string | null }) {
  const disease = isDisease(props.disease) ? props.disease : "dengue";
  const [state, reload] = useApi(loadOverview, []);
  if (state.status === "loading") return <Loading what="today's risk" />;
  if (state.status === "error") return <ErrorState error={state.error} onRetry={reload} />;
  const { locations, predictions, alerts } = state.data;
  const open = (code: string) => {
    window.location.hash = locationHref(code, disease).slice(1);
  };
  const stateRisk = riskByState(predictions?.predictions ?? [], disease);
  const byLocation = riskByLocation(predictions?.predictions ?? [], disease);
  const counts = countBySeverity(alerts?.alerts ?? []);
  const states = locations.locations.filter((l) => !isDistrict(l.location_code));

  return (
    <div className="overview">
      <section className="map-panel" aria-labelledby="map-title">
        <div className="panel-head">
          <h2 id="map-title">Risk today</h2>
          <label className="disease-select">
            Disease{" "}
            <select
              value={disease}
              onChange={(e) => {
                window.location.hash = overviewHref(e.target.value).slice(1);
              }}
            >
              {DISEASES.map((d) => (
                <option key={d} value={d}>
                  {diseaseLabel(d)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <DataDates predictions={predictions} />
        {predictions == null && (
          <div className="notice" role="status" data-testid="no-predictions">
            No risk predictions yet. {renderCode(NO_DATA_HINT)}
          </div>
        )}
        <IndiaMap
          locations={locations.locations}
          stateRisk={stateRisk}
          byLocation={byLocation}
          disease={disease}
          onOpen={open}
        />
        <Legend />
        <p className="hint">Select a state (click, or Tab to it and press Enter) to see its history and forecast. Circles are districts; Ladakh is drawn as a marker.</p>
        <details className="state-table">
          <summary>All states as a table</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">{diseaseLabel(disease)} risk</th>
              </tr>
            </thead>
            <tbody>
              {states.map((l) => {
                const level = stateRisk.get(l.location_code)?.level ?? null;
                return (
                  <tr key={l.location_code}>
                    <td>
                      <a href={locationHref(l.location_code, disease)}>{l.name}</a>
                    </td>
                    <td style={{ background: levelColour(level), color: levelTextColour(level) }}>{level ?? "no data"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </details>
      </section>
      <section className="alerts-panel" aria-labelledby="alerts-title">
        <h2 id="alerts-title">
          Active alerts{" "}
          <span className="counts">
            {(["severe", "high", "moderate"] as const).map((s) => (counts[s] ? `${counts[s]} ${s} ` : "")).join("")}
          </span>
        </h2>
        {alerts == null ? (
          <p className="notice">{renderCode("No alerts document yet — run `climahealth alerts`.")}</p>
        ) : (
          <AlertsList alerts={alerts.alerts} locations={locations.locations} />
        )}
      </section>
    </div>
  );
}

function DataDates({ predictions }: { predictions: PredictionsDocument | null }) {
  if (!predictions) return null;
  const models = Object.entries(predictions.models ?? {});
  const newest = models.map(([, v]) => versionTime(v)).sort().at(-1);
  return (
    <p className="dates" data-testid="data-dates">
      Data of <strong data-testid="data-date">{predictions.date}</strong>
      {predictions.generated_at && <> · computed {predictions.generated_at}</>}
      {newest && (
        <>
          {" "}· models trained <span title={models.map(([n, v]) => `${n} ${v}`).join("\n")}>{newest}</span>
        </>
      )}
    </p>
  );
}
