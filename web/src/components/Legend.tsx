// The map legend: colour, pattern and name of each risk level.

import { LEVEL_PATTERNS, NO_DATA_COLOUR, RISK_LEVELS, levelColour } from "../lib/risk";
import { PatternDefs } from "./Patterns";

export function Legend() {
  const entries: Array<{ key: string; label: string; colour: string; pattern: string | null }> = [
    ...RISK_LEVELS.map((l) => ({ key: l, label: l, colour: levelColour(l), pattern: LEVEL_PATTERNS[l] })),
    { key: "none", label: "no data", colour: NO_DATA_COLOUR, pattern: null },
  ];
  return (
    <ul className="legend" aria-label="Risk level legend">
      {entries.map((e) => (
        <li key={e.key} data-level={e.key}>
          <svg width="22" height="16" aria-hidden="true">
            <PatternDefs />
            <rect width="22" height="16" fill={e.colour} stroke="#555" />
            {e.pattern && <rect width="22" height="16" fill={`url(#${e.pattern})`} />}
          </svg>
          <span>{e.label}</span>
        </li>
      ))}
    </ul>
  );
}
