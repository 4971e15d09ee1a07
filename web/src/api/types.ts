// Shapes of the climahealth HTTP API answers (docs/api.md, docs/DATA.md).

export interface Location {
  location_code: string;
  name: string;
  state_code?: string;
  latitude: number;
  longitude: number;
  population?: number;
  elevation_m?: number;
  terrain?: string;
}

export interface LocationsResponse {
  locations: Location[];
}

export interface DocumentHeader {
  kind: string;
  date: string;
  generated_at?: string;
  models?: Record<string, string>;
  input?: { manifest?: string; etag?: string };
}

export interface Prediction {
  location_code: string;
  disease: string;
  risk_score: number;
  risk_level: string;
  probabilities?: Record<string, number>;
}

export interface PredictionsDocument extends DocumentHeader {
  predictions: Prediction[];
}

export interface ForecastDay {
  date: string;
  expected: number;
  lower: number;
  upper: number;
}

export interface Forecast {
  location_code: string;
  disease: string;
  days: ForecastDay[];
}

export interface ForecastsDocument extends DocumentHeader {
  horizon_days?: number;
  interval?: number;
  forecasts: Forecast[];
}

export interface Alert {
  id: string;
  location_code: string;
  disease: string | null;
  kind: string;
  severity: string;
  message: string;
  value?: number | null;
  threshold?: number | null;
  first_raised?: string;
}

export interface AlertsDocument extends DocumentHeader {
  alerts: Alert[];
}

/** Columnar time series: {"columns": {"date": [...], "temp_max_c": [...]}}. */
export interface SeriesResponse {
  location: string;
  start?: string;
  end?: string;
  columns: Record<string, Array<number | string | null>>;
}

export interface ModelInfo {
  name: string;
  version: string;
  current: boolean;
  created_at?: string;
  training_window?: { start?: string; end?: string };
  metrics?: Record<string, unknown>;
  features?: string[];
}

export interface ModelsResponse {
  models: ModelInfo[];
}

export interface BucketStats {
  logical: string;
  name: string;
  objects: number;
  bytes: number;
  newest_object?: { key: string; last_modified: string } | null;
}

export interface StorageStats {
  buckets: BucketStats[];
  newest_prediction_date?: string | null;
}
