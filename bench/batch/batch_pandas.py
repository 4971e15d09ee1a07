"""The batch transform written plainly in pandas: validate, dedupe, join, featurize, write.

Usage: batch_pandas.py RAW_DIR OUT_DIR. Same rules as climahealth's batch job for the
parts that change the output (invalid rows dropped, exact duplicates dropped,
conflicting duplicates dropped, rows sorted, features as docs/DATA.md); it does not
write the per-row validation report or interpolate gaps.

Memory follows pandas' own advice for large data ("Scaling to large datasets" in its
user guide): only the needed columns, read in chunks, location codes as a categorical,
and the feature table written one location at a time, so the peer can finish on inputs
of a gigabyte and more instead of being killed for memory.
"""
import os
import sys

import numpy as np
import pandas as pd

CLIMATE = ["temp_max_c", "temp_min_c", "temp_mean_c", "humidity_pct", "rainfall_mm",
           "wind_speed_kmh", "pm25_ugm3"]
DISEASES = ["dengue", "malaria", "heat_illness", "respiratory", "diarrhoea"]
HEALTH = [f"{d}_cases" for d in DISEASES]
HOSPITAL = ["hospitals", "beds_total", "beds_occupied", "icu_beds_total", "icu_beds_occupied"]
BOUNDS = {"humidity_pct": (0, 100), "rainfall_mm": (0, 1500), "wind_speed_kmh": (0, 400),
          "pm25_ugm3": (0, 2000)}


def clean(path, columns, codes):
    categories = sorted(codes)
    keep = ["date", "location_code"] + columns
    dtype = {c: str for c in keep}
    dtype["location_code"] = "category"
    parts = []
    for df in pd.read_csv(path, usecols=keep, dtype=dtype, keep_default_na=False,
                          chunksize=1_000_000):
        # Unknown codes become NaN; every chunk shares the categories, so concat keeps them.
        df["location_code"] = df["location_code"].cat.set_categories(categories)
        df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d", errors="coerce")
        ok = df["date"].notna() & df["location_code"].notna()
        for c in columns:
            df[c] = pd.to_numeric(df[c].where(df[c] != ""), errors="coerce")
            lo, hi = (-60, 60) if c.startswith("temp_") else BOUNDS.get(c, (0, 1e9))
            ok &= df[c].between(lo, hi)
        parts.append(df.loc[ok, keep])
    df = pd.concat(parts)
    df = df.drop_duplicates(["date", "location_code"] + columns)
    df = df[~df.duplicated(["date", "location_code"], keep=False)]
    return df.sort_values(["location_code", "date"])


def heat_index(t_c, rh):
    t = t_c * 9 / 5 + 32
    simple = 0.5 * (t + 61.0 + (t - 68.0) * 1.2 + rh * 0.094)
    hi = (-42.379 + 2.04901523 * t + 10.14333127 * rh - 0.22475541 * t * rh
          - 0.00683783 * t * t - 0.05481717 * rh * rh + 0.00122874 * t * t * rh
          + 0.00085282 * t * rh * rh - 0.00000199 * t * t * rh * rh)
    low = (rh < 13) & (t >= 80) & (t <= 112)
    hi = np.where(low, hi - ((13 - rh) / 4) * np.sqrt(np.abs(17 - np.abs(t - 95)) / 17), hi)
    high = (rh > 85) & (t >= 80) & (t <= 87)
    hi = np.where(high, hi + ((rh - 85) / 10) * ((87 - t) / 5), hi)
    return (np.where((simple + t) / 2 >= 80, hi, simple) - 32) * 5 / 9


def location_features(g):
    """Feature columns of one location's rows (indexed by date, sorted)."""
    out = {}
    for x in ["rainfall_mm", "temp_mean_c", "humidity_pct"] + HEALTH:
        for w in (7, 14, 28):
            out[f"{x}_mean{w}"] = g[x].rolling(f"{w}D", min_periods=w).mean()
        if x in ("temp_mean_c", "humidity_pct"):
            continue
        for w in (7, 14, 28):
            out[f"{x}_sum{w}"] = g[x].rolling(f"{w}D", min_periods=w).sum()
    for x in ["rainfall_mm", "temp_mean_c"] + HEALTH:
        for lag in (7, 14, 21, 28):
            out[f"{x}_lag{lag}"] = g[x].shift(freq=f"{lag}D").reindex(g.index)
    feats = pd.DataFrame(out, index=g.index)
    g = g.copy()
    g["heat_index_c"] = heat_index(g["temp_max_c"], g["humidity_pct"])
    doy = g["date"].dt.dayofyear
    g["temp_max_anomaly_c"] = g["temp_max_c"] - g["temp_max_c"].groupby(doy).transform("mean")
    g["bed_occupancy"] = g["beds_occupied"] / g["beds_total"]
    g["icu_occupancy"] = g["icu_beds_occupied"] / g["icu_beds_total"]
    g["doy_sin"] = np.sin(2 * np.pi * doy / 365.25)
    g["doy_cos"] = np.cos(2 * np.pi * doy / 365.25)
    return pd.concat([g.reset_index(drop=True), feats.reset_index(drop=True)], axis=1)


def main(raw, out_dir):
    locations = pd.read_csv(os.path.join(raw, "locations.csv"))
    codes = set(locations["location_code"].dropna())
    climate = clean(os.path.join(raw, "climate_data.csv"), CLIMATE, codes)
    health = clean(os.path.join(raw, "health_data.csv"), HEALTH, codes)
    hospital = clean(os.path.join(raw, "hospital_data.csv"), HOSPITAL, codes)
    os.makedirs(out_dir, exist_ok=True)
    for name, df in (("climate", climate), ("health", health), ("hospital", hospital)):
        df.to_csv(os.path.join(out_dir, f"{name}.csv"), index=False, date_format="%Y-%m-%d")
    df = climate.merge(health, on=["date", "location_code"], how="outer")
    del climate, health
    df = df.merge(hospital, on=["date", "location_code"], how="outer")
    del hospital
    df = df.sort_values(["location_code", "date"]).set_index("date", drop=False)
    rows = 0
    with open(os.path.join(out_dir, "features.csv"), "w", newline="") as out:
        for _, g in df.groupby("location_code", sort=False, observed=True):
            part = location_features(g).round(4)
            part.to_csv(out, header=rows == 0, index=False, date_format="%Y-%m-%d")
            rows += len(part)
    print(rows)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
