// Small documents in the shapes of docs/DATA.md, shared by the component tests.

import type { AlertsDocument, LocationsResponse, PredictionsDocument } from "../../src/api/types";

export const LOCATIONS: LocationsResponse = {
  locations: [
    { location_code: "KA", name: "Karnataka", state_code: "KA", latitude: 15.3, longitude: 75.7 },
    { location_code: "KA-001", name: "Karnataka District 1", state_code: "KA", latitude: 13.0, longitude: 77.6 },
    { location_code: "TS", name: "Telangana", state_code: "TS", latitude: 17.9, longitude: 79.0 },
    { location_code: "OD", name: "Odisha", state_code: "OD", latitude: 20.5, longitude: 84.4 },
    { location_code: "UK", name: "Uttarakhand", state_code: "UK", latitude: 30.1, longitude: 79.2 },
    { location_code: "CG", name: "Chhattisgarh", state_code: "CG", latitude: 21.3, longitude: 81.9 },
    { location_code: "DH", name: "Dadra and Nagar Haveli and Daman and Diu", state_code: "DH", latitude: 20.4, longitude: 72.95 },
    { location_code: "LA", name: "Ladakh", state_code: "LA", latitude: 34.2, longitude: 77.6 },
  ],
};

function p(location_code: string, disease: string, risk_level: string, risk_score: number) {
  return { location_code, disease, risk_level, risk_score };
}

export const PREDICTIONS: PredictionsDocument = {
  kind: "predictions",
  date: "2024-11-11",
  generated_at: "2024-11-12T06:00:00Z",
  models: { risk_dengue: "20241112T050000Z-0a1b2c3d" },
  predictions: [
    p("KA", "dengue", "low", 0.1),
    p("KA-001", "dengue", "severe", 0.95), // the district makes the state severe
    p("TS", "dengue", "high", 0.7),
    p("OD", "dengue", "moderate", 0.4),
    p("UK", "dengue", "low", 0.05),
    p("CG", "dengue", "severe", 0.9),
    p("DH", "dengue", "high", 0.66),
    p("LA", "dengue", "moderate", 0.3),
    p("KA", "malaria", "high", 0.7),
  ],
};

export const ALERTS: AlertsDocument = {
  kind: "alerts",
  date: "2024-11-11",
  alerts: [
    { id: "a1", location_code: "OD", disease: "dengue", kind: "risk_level", severity: "moderate", message: "Odisha dengue moderate", value: 0.4, threshold: 0.35 },
    { id: "a2", location_code: "KA-001", disease: "dengue", kind: "risk_level", severity: "severe", message: "KA-001 dengue severe", value: 0.95, threshold: 0.8 },
    { id: "a3", location_code: "TS", disease: null, kind: "bed_occupancy", severity: "high", message: "Telangana beds 92%", value: 0.92, threshold: 0.85 },
    { id: "a4", location_code: "CG", disease: "dengue", kind: "risk_level", severity: "severe", message: "CG dengue severe", value: 0.9, threshold: 0.8 },
  ],
};
