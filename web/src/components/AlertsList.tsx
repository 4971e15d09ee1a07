// The list of active alerts, worst first.

import type { Alert, Location } from "../api/types";
import { sortAlerts } from "../lib/aggregate";
import { locationHref } from "../lib/router";
import { diseaseLabel } from "../lib/risk";

export function AlertsList(props: { alerts: Alert[]; locations?: Location[]; linkLocations?: boolean }) {
  const names = new Map((props.locations ?? []).map((l) => [l.location_code, l.name]));
  const sorted = sortAlerts(props.alerts);
  if (sorted.length === 0) return <p className="empty">No active alerts.</p>;
  return (
    <ol className="alerts" aria-label="Active alerts, most severe first">
      {sorted.map((a) => (
        <li key={a.id} className={`alert sev-${a.severity}`} data-alert-id={a.id} data-severity={a.severity}>
          <span className="badge">{a.severity}</span>{" "}
          {props.linkLocations !== false ? (
            <a href={locationHref(a.location_code, a.disease)}>{names.get(a.location_code) ?? a.location_code}</a>
          ) : (
            <strong>{names.get(a.location_code) ?? a.location_code}</strong>
          )}{" "}
          <span className="what">
            {a.disease ? diseaseLabel(a.disease) : a.kind.replace(/_/g, " ")}
          </span>
          <div className="message">{a.message}</div>
          {a.first_raised && <div className="since">since {a.first_raised}</div>}
        </li>
      ))}
    </ol>
  );
}
