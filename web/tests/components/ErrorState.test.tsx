// The error panels say what went wrong and what to run.
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../src/api/client";
import { ErrorState, NO_DATA_HINT, describeError } from "../../src/components/ErrorState";

afterEach(cleanup);

describe("ErrorState", () => {
  it("tells the user to start the server when the API cannot be reached", () => {
    const retry = vi.fn();
    render(<ErrorState error={new ApiError("unreachable", "fetch failed", "/api/locations", "http://127.0.0.1:8080")} onRetry={retry} />);
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Cannot reach the climahealth API at http://127.0.0.1:8080");
    expect(screen.getByText("climahealth serve").tagName).toBe("CODE");
    fireEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(retry).toHaveBeenCalledTimes(1);
  });

  it("tells the user which jobs to run when there is no data yet", () => {
    render(<ErrorState error={new ApiError("not_found", "no object", "/api/locations", "")} />);
    expect(screen.getByRole("heading").textContent).toBe("No data yet");
    expect(screen.getByText("climahealth batch")).toBeTruthy();
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("names the path and status of a server error", () => {
    const d = describeError(new ApiError("server", "disk on fire", "/api/models", "", 500), NO_DATA_HINT);
    expect(d.title).toBe("The API failed on /api/models (HTTP 500)");
    expect(d.action).toContain("disk on fire");
  });

  it("explains a not-ready API", () => {
    const d = describeError(new ApiError("unavailable", "storage not reachable", "/api/locations", "", 503), NO_DATA_HINT);
    expect(d.title).toContain("not ready");
    expect(d.action).toContain("storage not reachable");
  });
});
