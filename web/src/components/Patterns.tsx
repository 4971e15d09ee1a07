// SVG fill patterns that double the colour cue for each risk level.

/** Dots for moderate, diagonal lines for high, cross-hatching for severe. */
export function PatternDefs() {
  const ink = "rgba(0,0,0,0.45)";
  return (
    <defs>
      <pattern id="pat-moderate" width="6" height="6" patternUnits="userSpaceOnUse">
        <circle cx="3" cy="3" r="0.9" fill={ink} />
      </pattern>
      <pattern id="pat-high" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <line x1="0" y1="0" x2="0" y2="6" stroke={ink} strokeWidth="1.1" />
      </pattern>
      <pattern id="pat-severe" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <line x1="0" y1="0" x2="0" y2="6" stroke={ink} strokeWidth="1.3" />
        <line x1="0" y1="3" x2="6" y2="3" stroke={ink} strokeWidth="1.3" />
      </pattern>
    </defs>
  );
}
