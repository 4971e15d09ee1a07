// The dashboard shell: header navigation, the routed page and the footer with the map credit.

import { LocationPage } from "./pages/LocationPage";
import { ModelsPage } from "./pages/ModelsPage";
import { Overview } from "./pages/Overview";
import { StoragePage } from "./pages/StoragePage";
import { type Route, overviewHref, useRoute } from "./lib/router";

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "overview":
      return <Overview disease={route.disease} />;
    case "location":
      return <LocationPage key={route.code} code={route.code} disease={route.disease} />;
    case "models":
      return <ModelsPage />;
    case "storage":
      return <StoragePage />;
    default:
      return (
        <div className="error-state" role="alert">
          <h2>No page at {route.path}</h2>
          <p>
            <a href="#/">Go to the overview</a>.
          </p>
        </div>
      );
  }
}

export function App() {
  const route = useRoute();
  const current = route.page;
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById("main")?.focus(); }}>
        Skip to content
      </a>
      <header className="top">
        <h1>
          <a href={overviewHref()}>climahealth</a>
        </h1>
        <nav aria-label="Main">
          <a href="#/" aria-current={current === "overview" ? "page" : undefined}>Overview</a>
          <a href="#/models" aria-current={current === "models" ? "page" : undefined}>Models</a>
          <a href="#/storage" aria-current={current === "storage" ? "page" : undefined}>Storage</a>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
      <footer>
        Climate–health early warning. Map of India:{" "}
        <a href="https://github.com/VictorCazanave/svg-maps/tree/master/packages/india">@svg-maps/india</a> by Victor
        Cazanave, licensed <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>; Ladakh, DH and the
        2019/2023 ISO codes are mapped by climahealth. Boundaries are indicative.
      </footer>
    </>
  );
}
