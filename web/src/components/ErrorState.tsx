// Loading and error panels that tell the user what to do next.

import { ApiError } from "../api/client";

/** The sentence shown for an error; exported for tests. */
export function describeError(error: unknown, noDataHint: string): { title: string; action: string } {
  if (error instanceof ApiError) {
    switch (error.kind) {
      case "unreachable":
        return {
          title: `Cannot reach the climahealth API at ${error.base || "this address"}`,
          action: "Start it with `climahealth serve` (it also serves this dashboard), then retry.",
        };
      case "not_found":
        return { title: "No data yet", action: noDataHint };
      case "unavailable":
        return {
          title: "The climahealth API is not ready",
          action: `${error.message}. Check that its storage is reachable (\`climahealth store du\`), then retry in a moment.`,
        };
      case "invalid":
        return { title: `The API rejected ${error.path}`, action: error.message };
      default:
        return {
          title: `The API failed on ${error.path}${error.status ? ` (HTTP ${error.status})` : ""}`,
          action: `${error.message}. See the output of \`climahealth serve\` for details.`,
        };
    }
  }
  return { title: "Something went wrong", action: String(error) };
}

export const NO_DATA_HINT =
  "Run `climahealth generate` (or load real data into the raw bucket), then `climahealth batch`, `climahealth train`, `climahealth predict`, `climahealth forecast` and `climahealth alerts`.";

export function ErrorState(props: { error: unknown; onRetry?: () => void; noDataHint?: string }) {
  const { title, action } = describeError(props.error, props.noDataHint ?? NO_DATA_HINT);
  const kind = props.error instanceof ApiError ? props.error.kind : "unknown";
  return (
    <div className="error-state" role="alert" data-error-kind={kind}>
      <h2>{title}</h2>
      <p>{renderCode(action)}</p>
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Loading(props: { what: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      Loading {props.what}…
    </div>
  );
}

/** Renders `backticked` spans as <code>. */
export function renderCode(text: string) {
  return text.split(/(`[^`]+`)/).map((part, i) =>
    part.startsWith("`") && part.endsWith("`") ? <code key={i}>{part.slice(1, -1)}</code> : <span key={i}>{part}</span>,
  );
}
