// One place: climate and cases with the 14-day forecast, its alerts, risk history and downloads.

import { useMemo, useState } from "react";
import { apiUrl, fileUrl, getJson, getJsonOrNull } from "../api/client";
import type {
  AlertsDocument,
  ForecastsDocument,
  LocationsResponse,
  PredictionsDocument,
  SeriesResponse,
} from "../api/types";
import { AlertsList } from "../components/AlertsList";
import { ErrorState, Loading, renderCode } from "../components/ErrorState";
import { type SeriesSpec, TimeSeriesChart } from "../components/TimeSeriesChart";
import { addDays, casesWithForecast, seriesToChart } from "../lib/aggregate";
import { isDistrict, stateOf } from "../lib/aliases";
import { locationHref, overviewHref } from "../lib/router";
import { DISEASES, diseaseLabel, isDisease, levelColour, levelTextColour } from "../lib/risk";
import { useApi } from "../lib/useApi";

const HISTORY_DAYS = 14;
const LEVEL_SHORT: Record<string, string> = { low: "low", moderate: "mod", high: "high", severe: "sev" };

interface LocationData {
  locations: LocationsResponse;
  climate: SeriesResponse | null;
  health: SeriesResponse | null;
  predictions: PredictionsDocument | null;
  forecasts: ForecastsDocument | null;
  alerts: AlertsDocument | null;
  history: PredictionsDocument[];
}

async function loadLocation(code: string, signal: AbortSignal): Promise<LocationData> {
  const q = `location=${encodeURIComponent(code)}`;
  const opt = { signal };
  const locations = await getJson<LocationsResponse>("/api/locations", opt);
  if (!locations.locations.some((l) => l.location_code === code)) {
    // The API answers 400 for unknown codes; say so without asking it.
    return { locations, climate: null, health: null, predictions: null, forecasts: null, alerts: null, history: [] };
  }
  const [climate, health, predictions, forecasts, alerts] = await Promise.all([
    getJsonOrNull<SeriesResponse>(`/api/climate?${q}`, opt),
    getJsonOrNull<SeriesResponse>(`/api/health?${q}`, opt),
    getJsonOrNull<PredictionsDocument>(`/api/predictions/latest?${q}`, opt),
    getJsonOrNull<ForecastsDocument>(`/api/forecasts/latest?${q}`, opt),
    getJsonOrNull<AlertsDocument>(`/api/alerts/latest?${q}`, opt),
  ]);
  const history: PredictionsDocument[] = predictions ? [predictions] : [];
  if (predictions) {
    const earlier = await Promise.all(
      Array.from({ length: HISTORY_DAYS - 1 }, (_, i) =>
        getJsonOrNull<PredictionsDocument>(`/api/predictions/${addDays(predictions.date, -(i + 1))}?${q}`, opt).catch(
          () => null,
        ),
      ),
    );
    for (const doc of earlier) if (doc) history.push(doc);
  }
  history.sort((a, b) => a.date.localeCompare(b.date));
  return { locations, climate, health, predictions, forecasts, alerts, history };
}

const RANGES = [
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
  { label: "All", days: undefined },
] as const;

const CASES_SERIES: SeriesSpec[] = [
  { label: "reported cases", colour: "#333333" },
  { label: "forecast (expected)", colour: "#b10026", dash: [6, 4], width: 2 },
  { label: "lower", colour: "rgba(177,0,38,0.35)", width: 1 },
  { label: "upper", colour: "rgba(177,0,38,0.35)", width: 1 },
];
const TEMP_SERIES: SeriesSpec[] = [
  { label: "max °C", colour: "#d7301f" },
  { label: "mean °C", colour: "#555555" },
  { label: "min °C", colour: "#2166ac" },
];
const RAIN_SERIES: SeriesSpec[] = [{ label: "rain mm", colour: "#2166ac" }];
const PM_SERIES: SeriesSpec[] = [{ label: "PM2.5 µg/m³", colour: "#6a51a3" }];
const CASE_BANDS: Array<[number, number]> = [[4, 3]];

export function LocationPage(props: { code: string; disease: string | null }) {
  const disease = isDisease(props.disease) ? props.disease : "dengue";
  const [range, setRange] = useState<number | undefined>(90);
  const [state, reload] = useApi((signal) => loadLocation(props.code, signal), [props.code]);

  const charts = useMemo(() => {
    if (state.status !== "ok") return null;
    const { climate, health, forecasts } = state.data;
    const forecast = forecasts?.forecasts.find((f) => f.location_code === props.code && f.disease === disease) ?? null;
    return {
      cases: casesWithForecast(health, disease, forecast, range),
      temp: climate ? seriesToChart(climate, ["temp_max_c", "temp_mean_c", "temp_min_c"], range) : null,
      rain: climate ? seriesToChart(climate, ["rainfall_mm"], range) : null,
      pm: climate ? seriesToChart(climate, ["pm25_ugm3"], range) : null,
      hasForecast: forecast != null,
    };
  }, [state, disease, range, props.code]);

  if (state.status === "loading") return <Loading what={`data for ${props.code}`} />;
  if (state.status === "error") return <ErrorState error={state.error} onRetry={reload} />;
  const d = state.data;
  const place = d.locations.locations.find((l) => l.location_code === props.code);
  if (!place) {
    return (
      <div className="error-state" role="alert" data-error-kind="unknown_location">
        <h2>Unknown location {props.code}</h2>
        <p>
          No location with this code in <code>raw/locations.csv</code>. <a href={overviewHref(disease)}>Back to the map</a>.
        </p>
      </div>
    );
  }
  const parent = isDistrict(place.location_code) ? stateOf(place.location_code) : null;
  const districts = d.locations.locations.filter((l) => isDistrict(l.location_code) && stateOf(l.location_code) === place.location_code);
  const setDisease = (v: string) => {
    window.location.hash = locationHref(props.code, v).slice(1);
  };
  const q = `location=${encodeURIComponent(props.code)}`;

  return (
    <div className="location">
      <nav className="crumbs" aria-label="Breadcrumb">
        <a href={overviewHref(disease)}>Overview</a>
        {parent && (
          <>
            {" › "}
            <a href={locationHref(parent, disease)}>{d.locations.locations.find((l) => l.location_code === parent)?.name ?? parent}</a>
          </>
        )}
        {" › "}
        <span aria-current="page">{place.name}</span>
      </nav>
      <h2 data-testid="location-title">
        {place.name} <span className="code">{place.location_code}</span>
      </h2>
      <p className="facts">
        {place.population != null && <>Population {place.population.toLocaleString("en-IN")} · </>}
        {place.elevation_m != null && <>{place.elevation_m} m · </>}
        {place.terrain && <>{place.terrain} · </>}
        {place.latitude.toFixed(2)}°N {place.longitude.toFixed(2)}°E
        {districts.length > 0 && (
          <>
            {" · Districts: "}
            {districts.map((x, i) => (
              <span key={x.location_code}>
                {i > 0 && ", "}
                <a href={locationHref(x.location_code, disease)}>{x.name}</a>
              </span>
            ))}
          </>
        )}
      </p>

      <div className="controls">
        <label>
          Disease{" "}
          <select value={disease} onChange={(e) => setDisease(e.target.value)}>
            {DISEASES.map((x) => (
              <option key={x} value={x}>
                {diseaseLabel(x)}
              </option>
            ))}
          </select>
        </label>
        <div role="group" aria-label="Period" className="range">
          {RANGES.map((r) => (
            <button key={r.label} type="button" aria-pressed={range === r.days} onClick={() => setRange(r.days)}>
              {r.label}
            </button>
          ))}
        </div>
      </div>

      <section aria-labelledby="risk-title">
        <h3 id="risk-title">Risk {d.predictions ? `on ${d.predictions.date}` : ""}</h3>
        <RiskHistory history={d.history} code={props.code} />
      </section>

      {charts && (
        <section className="charts" aria-label="Time series">
          <TimeSeriesChart
            testId="cases-chart"
            title={`${diseaseLabel(disease)} cases${charts.hasForecast ? ` with the ${d.forecasts?.horizon_days ?? 14}-day forecast (${Math.round((d.forecasts?.interval ?? 0.8) * 100)}% interval)` : " (no forecast yet: run climahealth forecast)"}`}
            unit="cases/day"
            data={charts.cases}
            series={CASES_SERIES}
            bands={CASE_BANDS}
            bandFill="rgba(227,26,28,0.18)"
          />
          {charts.temp && <TimeSeriesChart testId="temp-chart" title="Temperature" unit="°C" data={charts.temp} series={TEMP_SERIES} />}
          {charts.rain && <TimeSeriesChart testId="rain-chart" title="Rainfall" unit="mm/day" data={charts.rain} series={RAIN_SERIES} />}
          {charts.pm && <TimeSeriesChart testId="pm-chart" title="PM2.5" unit="µg/m³" data={charts.pm} series={PM_SERIES} />}
          {!d.climate && <p className="notice">{renderCode("No climate data for this place — run `climahealth batch`.")}</p>}
        </section>
      )}

      <section aria-labelledby="loc-alerts-title">
        <h3 id="loc-alerts-title">Alerts</h3>
        {d.alerts ? <AlertsList alerts={d.alerts.alerts} locations={d.locations.locations} linkLocations={false} /> : <p className="notice">No alerts document yet.</p>}
      </section>

      <section aria-labelledby="dl-title">
        <h3 id="dl-title">Download the data</h3>
        <ul className="downloads">
          <li><a href={apiUrl(`/api/climate?${q}&format=csv`)} download>Climate, this place (CSV)</a></li>
          <li><a href={apiUrl(`/api/health?${q}&format=csv`)} download>Cases, this place (CSV)</a></li>
          <li><a href={apiUrl(`/api/hospital?${q}&format=csv`)} download>Hospital beds, this place (CSV)</a></li>
          {d.predictions && (
            <li><a data-testid="download-predictions" href={fileUrl("processed", `predictions/${d.predictions.date}/risk.json`)} download>Risk predictions of {d.predictions.date}, all places (JSON)</a></li>
          )}
          {d.forecasts && (
            <li><a href={fileUrl("processed", `forecasts/${d.forecasts.date}/cases.json`)} download>Forecasts of {d.forecasts.date}, all places (JSON)</a></li>
          )}
          {d.alerts && (
            <li><a href={fileUrl("processed", `alerts/${d.alerts.date}/alerts.json`)} download>Alerts of {d.alerts.date}, all places (JSON)</a></li>
          )}
          {d.predictions?.input?.manifest && (
            <li><a href={fileUrl("processed", d.predictions.input.manifest)} download>Batch manifest: every processed file and its inputs (JSON)</a></li>
          )}
        </ul>
      </section>
    </div>
  );
}

function RiskHistory({ history, code }: { history: PredictionsDocument[]; code: string }) {
  if (history.length === 0) return <p className="notice">{renderCode("No risk predictions yet — run `climahealth predict`.")}</p>;
  return (
    <div className="table-scroll">
      <table className="risk-history" data-testid="risk-history">
        <thead>
          <tr>
            <th scope="col">Disease</th>
            {history.map((h) => (
              <th scope="col" key={h.date}>{h.date.slice(5)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {DISEASES.map((dis) => (
            <tr key={dis}>
              <th scope="row">{diseaseLabel(dis)}</th>
              {history.map((h) => {
                const p = h.predictions.find((x) => x.location_code === code && x.disease === dis);
                const level = p?.risk_level ?? null;
                return (
                  <td
                    key={h.date}
                    style={{ background: levelColour(level), color: levelTextColour(level) }}
                    title={p ? `${dis} on ${h.date}: ${level} (score ${p.risk_score.toFixed(2)})` : "no prediction"}
                  >
                    {level ? LEVEL_SHORT[level] ?? level : "–"}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
