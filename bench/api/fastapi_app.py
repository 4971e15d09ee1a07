"""The two benchmarked endpoints written plainly with FastAPI + pandas (+ boto3 for S3).

Reads the same store as `climahealth serve`: with AWS_ENDPOINT_URL set it uses boto3
against that S3 endpoint; otherwise it reads the local store's directory
(CLIMAHEALTH_STORAGE_ROOT/<bucket>/<key>), as the seed's code would with local files.
Run: uvicorn fastapi_app:app --port 18091 (from bench/api).
"""
import io
import json
import os

import boto3
import pandas as pd
from fastapi import FastAPI, HTTPException

ROOT = os.environ.get("CLIMAHEALTH_STORAGE_ROOT", "./var/store")
PROCESSED = os.environ.get("CLIMAHEALTH_PROCESSED_BUCKET", "processed-bucket")
ENDPOINT = os.environ.get("AWS_ENDPOINT_URL")
s3 = boto3.client("s3", endpoint_url=ENDPOINT) if ENDPOINT else None

app = FastAPI()


def get_object(key):
    if s3 is not None:
        return s3.get_object(Bucket=PROCESSED, Key=key)["Body"].read()
    with open(os.path.join(ROOT, PROCESSED, key), "rb") as f:
        return f.read()


def list_keys(prefix):
    if s3 is not None:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=PROCESSED, Prefix=prefix)
        return [o["Key"] for page in pages for o in page.get("Contents", [])]
    base = os.path.join(ROOT, PROCESSED)
    keys = []
    for dirpath, _, files in os.walk(os.path.join(base, prefix)):
        keys += [os.path.relpath(os.path.join(dirpath, f), base) for f in files]
    return keys


@app.get("/api/climate")
def climate(location: str, start: str = None, end: str = None):
    manifest = json.loads(get_object("processed/manifest.json"))
    df = pd.read_csv(io.BytesIO(get_object(manifest["outputs"]["climate"]["key"])))
    df = df[df["location_code"] == location]
    if df.empty:
        raise HTTPException(status_code=400, detail=f"unknown location {location}")
    if start:
        df = df[df["date"] >= start]
    if end:
        df = df[df["date"] <= end]
    columns = {c: df[c].tolist() for c in df.columns if c != "location_code"}
    return {"location": location, "start": start or df["date"].min(),
            "end": end or df["date"].max(), "columns": columns}


@app.get("/api/predictions/latest")
def predictions_latest(location: str = None, disease: str = None):
    keys = sorted(k for k in list_keys("predictions/") if k.endswith("/risk.json"))
    if not keys:
        raise HTTPException(status_code=404, detail="no predictions")
    doc = json.loads(get_object(keys[-1]))
    rows = doc["predictions"]
    if location:
        rows = [r for r in rows if r["location_code"] == location]
    if disease:
        rows = [r for r in rows if r["disease"] == disease]
    doc["predictions"] = rows
    return doc
