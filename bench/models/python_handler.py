#!/usr/bin/env python3
"""The Python peer of `climahealth predict` for the cold-start benchmark: what a
seed-style Lambda handler does with boto3 + pandas + xgboost. Reads the same
store (a local store directory, or S3 when AWS_ENDPOINT_URL is set), the current
risk models, the feature rows of the last date, and writes
predictions/<date>/risk.python.json.

  python_handler.py ROOT_OR_NONE PROCESSED_BUCKET MODELS_BUCKET
"""
import base64
import datetime
import io
import json
import os
import sys

import boto3
import numpy as np
import pandas as pd
import xgboost as xgb

DISEASES = ["dengue", "malaria", "heat_illness", "respiratory", "diarrhoea"]
LEVELS = ["low", "moderate", "high", "severe"]


class Store:
    def __init__(self, root):
        self.root = root
        self.s3 = None if root else boto3.client("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))

    def get(self, bucket, key):
        if self.s3:
            return self.s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        with open(os.path.join(self.root, bucket, key), "rb") as f:
            return f.read()

    def put(self, bucket, key, data):
        if self.s3:
            self.s3.put_object(Bucket=bucket, Key=key, Body=data)
            return
        path = os.path.join(self.root, bucket, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def season_bucket(day):
    return min((day.timetuple().tm_yday - 1) // 7, 51)


def main():
    root = None if sys.argv[1] == "none" else sys.argv[1]
    processed, models = sys.argv[2], sys.argv[3]
    store = Store(root)
    manifest = json.loads(store.get(processed, "processed/manifest.json"))
    key = manifest["outputs"]["features"]["key"]
    features = pd.read_csv(io.BytesIO(store.get(processed, key)), parse_dates=["date"])
    last = features["date"].max()
    today = features[features["date"] == last].reset_index(drop=True)
    first_day = (last + pd.Timedelta(days=1)).date()
    out = []
    for disease in DISEASES:
        name = f"risk_{disease}"
        version = json.loads(store.get(models, f"models/{name}/current.json"))["version"]
        meta = json.loads(store.get(models, f"models/{name}/{version}/metadata.json"))
        booster = xgb.Booster()
        booster.load_model(bytearray(store.get(models, meta["artefact"]["key"])))
        x = today[meta["input_features"]].astype("float32").to_numpy()
        profile = meta["profile"]
        b = season_bucket(first_day)
        derived = np.full((len(today), 4), np.nan, dtype=np.float32)
        for i, code in enumerate(today["location_code"]):
            p = profile["locations"].get(code)
            if p is None:
                continue
            if profile.get("encoding") == "f32le-base64":  # 52 float32 per field, in field order
                derived[i] = np.frombuffer(base64.b64decode(p), "<f4").reshape(4, 52)[:, b]
            else:
                derived[i] = [p[k][b] if p[k][b] is not None else np.nan
                              for k in ("mean_daily", "p50", "p80", "p95")]
        probs = booster.predict(xgb.DMatrix(np.hstack([x, derived]), feature_names=booster.feature_names))
        for code, pr in zip(today["location_code"], probs):
            out.append({"location_code": code, "disease": disease,
                        "risk_score": float(min(1.0, pr[2] + pr[3])),
                        "risk_level": LEVELS[int(np.argmax(pr))],
                        "probabilities": dict(zip(LEVELS, map(float, pr)))})
    doc = {"kind": "predictions", "date": str(last.date()),
           "generated_at": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
           "predictions": out}
    store.put(processed, f"predictions/{last.date()}/risk.python.json", json.dumps(doc).encode())
    print(f"python: {len(out)} predictions for {last.date()}", file=sys.stderr)


if __name__ == "__main__":
    main()
