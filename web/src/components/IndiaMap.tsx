// India's states from @svg-maps/india coloured by risk, with markers where no boundary exists.

import india from "@svg-maps/india";
import type { KeyboardEvent } from "react";
import type { Location, Prediction } from "../api/types";
import type { StateRisk } from "../lib/aggregate";
import { CODES_WITHOUT_PATH, codeForMapId, isDistrict } from "../lib/aliases";
import { project } from "../lib/projection";
import { LEVEL_PATTERNS, diseaseLabel, isRiskLevel, levelColour } from "../lib/risk";
import { PatternDefs } from "./Patterns";

interface MapProps {
  locations: Location[];
  stateRisk: Map<string, StateRisk>;
  byLocation: Map<string, Prediction>;
  disease: string;
  onOpen: (code: string) => void;
}

function activateOnKey(e: KeyboardEvent, open: () => void) {
  if (e.key === "Enter" || e.key === " ") {
    e.preventDefault();
    open();
  }
}

function describe(name: string, level: string | null, disease: string, districts = 0): string {
  const what = level ? `${level} risk` : "no data";
  const more = districts > 0 ? ` (worst of the state and ${districts} district${districts > 1 ? "s" : ""})` : "";
  return `${name}: ${what} of ${diseaseLabel(disease).toLowerCase()}${more}`;
}

export function IndiaMap({ locations, stateRisk, byLocation, disease, onOpen }: MapProps) {
  const names = new Map(locations.map((l) => [l.location_code, l.name]));
  const markers = locations.filter(
    (l) => isDistrict(l.location_code) || CODES_WITHOUT_PATH.includes(l.location_code),
  );
  return (
    <svg
      className="india-map"
      viewBox={india.viewBox}
      role="group"
      aria-label={`Map of India: ${diseaseLabel(disease).toLowerCase()} risk by state`}
    >
      <PatternDefs />
      {india.locations.map((loc) => {
        const code = codeForMapId(loc.id) ?? loc.id.toUpperCase();
        const risk = stateRisk.get(code);
        const level = risk?.level ?? null;
        const pattern = isRiskLevel(level) ? LEVEL_PATTERNS[level] : null;
        const label = describe(names.get(code) ?? loc.name, level, disease, risk?.districts.length ?? 0);
        return (
          <g key={loc.id}>
            <path
              className="state"
              d={loc.path}
              fill={levelColour(level)}
              data-map-id={loc.id}
              data-code={code}
              data-level={level ?? "none"}
              tabIndex={0}
              role="link"
              aria-label={label}
              onClick={() => onOpen(code)}
              onKeyDown={(e) => activateOnKey(e, () => onOpen(code))}
            >
              <title>{label}</title>
            </path>
            {pattern && <path d={loc.path} fill={`url(#${pattern})`} pointerEvents="none" aria-hidden="true" />}
          </g>
        );
      })}
      {markers.map((l) => {
        const { x, y } = project(l.longitude, l.latitude);
        const district = isDistrict(l.location_code);
        const level = district
          ? (byLocation.get(l.location_code)?.risk_level ?? null)
          : (stateRisk.get(l.location_code)?.level ?? null);
        const label = describe(l.name, isRiskLevel(level) ? level : null, disease);
        return (
          <g
            key={l.location_code}
            className={district ? "marker district" : "marker state-marker"}
            data-code={l.location_code}
            data-level={isRiskLevel(level) ? level : "none"}
            tabIndex={0}
            role="link"
            aria-label={label}
            onClick={() => onOpen(l.location_code)}
            onKeyDown={(e) => activateOnKey(e, () => onOpen(l.location_code))}
          >
            <title>{label}</title>
            <circle cx={x} cy={y} r={district ? 4 : 8} fill={levelColour(level)} stroke="#222" strokeWidth={1} />
            {!district && (
              <text x={x} y={y + 3} textAnchor="middle" fontSize="8" fontWeight="bold" fill="#222">
                {l.location_code}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
