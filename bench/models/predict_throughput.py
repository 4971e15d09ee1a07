#!/usr/bin/env python3
"""Python xgboost peer of bench_predict_throughput: the same model and rows."""
import json
import sys
import time

import numpy as np
import xgboost as xgb

d = sys.argv[1]
cols = 60
x = np.fromfile(f"{d}/rows.f32", dtype=np.float32).reshape(-1, cols)
booster = xgb.Booster(params={"nthread": 2})
booster.load_model(bytearray(open(f"{d}/model.ubj", "rb").read()))
out = {"impl": "python-xgboost", "rows": int(x.shape[0])}


def best_of_three(run):
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t)
    return best


# Best of three for each measurement, as the C++ side does.
out["bulk_rows_per_s"] = x.shape[0] / best_of_three(
    lambda: booster.predict(xgb.DMatrix(x, nthread=2)))
for batch, calls in ((1, 3000), (10, 2000), (100, 1000)):
    def predict():
        for c in range(calls):
            s = (c % 1000) * batch
            booster.predict(xgb.DMatrix(x[s:s + batch]))

    def inplace():
        for c in range(calls):
            s = (c % 1000) * batch
            booster.inplace_predict(x[s:s + batch])

    out[f"batch{batch}_rows_per_s"] = calls * batch / best_of_three(predict)
    out[f"batch{batch}_inplace_rows_per_s"] = calls * batch / best_of_three(inplace)
print(json.dumps({k: (round(v) if isinstance(v, float) else v) for k, v in out.items()}))
