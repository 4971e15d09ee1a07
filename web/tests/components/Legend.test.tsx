// The legend names every level, so the map never relies on colour alone.
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, expect, it } from "vitest";
import { Legend } from "../../src/components/Legend";

afterEach(cleanup);

it("lists the four levels and no data, each with a swatch", () => {
  render(<Legend />);
  const items = screen.getAllByRole("listitem");
  expect(items.map((li) => li.textContent)).toEqual(["low", "moderate", "high", "severe", "no data"]);
  for (const li of items) expect(li.querySelector("rect")).not.toBeNull();
  // Patterns overlay the colour for moderate, high and severe.
  expect(items.map((li) => li.querySelectorAll("rect").length)).toEqual([1, 2, 2, 2, 1]);
});
