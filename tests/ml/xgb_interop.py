"""The Python side of the XGBoost interop tests (tests/ml/interop_test.cc).

  xgb_interop.py train DIR   trains models with Python's xgboost and writes
                             DIR/x.f32, DIR/meta.json, DIR/<name>.{json,ubj}
                             and DIR/<name>.pred.f32 (its own predictions)
  xgb_interop.py check DIR   loads every model DIR/meta.json lists (saved by
                             climahealth), predicts DIR/x.f32 and compares with
                             DIR/<name>.pred.f32; exit 1 on any |diff| >= 1e-6
  xgb_interop.py scaler DIR  checks DIR/scaler.json against a StandardScaler
                             fit (scikit-learn's definition) of DIR/x.f32

Matrices are raw little-endian float32, row-major; meta.json gives the shape.
"""
import json
import sys

import numpy as np
import xgboost as xgb

TOLERANCE = 1e-6


def load_x(d):
    meta = json.load(open(f"{d}/meta.json"))
    x = np.fromfile(f"{d}/x.f32", dtype="<f4").reshape(meta["rows"], meta["cols"])
    return meta, x


def train(d):
    rng = np.random.default_rng(7)
    rows, cols = 2000, 6
    x = rng.normal(size=(rows, cols)).astype(np.float32)
    x[rng.random(size=x.shape) < 0.05] = np.nan
    names = [f"f{i}" for i in range(cols)]
    y_reg = np.exp(0.5 * np.nan_to_num(x[:, 0]) + 0.3 * np.nan_to_num(x[:, 1])).astype(np.float32)
    y_cls = np.digitize(np.nan_to_num(x[:, 0] + x[:, 2]), [-1, 0, 1]).astype(np.float32)
    specs = {
        "poisson": ({"objective": "count:poisson", "max_depth": 4}, y_reg),
        "softprob": ({"objective": "multi:softprob", "num_class": 4, "max_depth": 4}, y_cls),
    }
    models = []
    for name, (params, y) in specs.items():
        params.update({"tree_method": "hist", "nthread": 2, "eta": 0.3})
        dm = xgb.DMatrix(x, label=y, feature_names=names)
        booster = xgb.train(params, dm, num_boost_round=30)
        booster.save_model(f"{d}/{name}.json")
        booster.save_model(f"{d}/{name}.ubj")
        pred = booster.predict(xgb.DMatrix(x, feature_names=names))
        pred.astype("<f4").tofile(f"{d}/{name}.pred.f32")
        models.append(name)
    x.astype("<f4").tofile(f"{d}/x.f32")
    json.dump({"rows": rows, "cols": cols, "models": models, "features": names},
              open(f"{d}/meta.json", "w"))


def check(d):
    meta, x = load_x(d)
    worst = 0.0
    for name in meta["models"]:
        for ext in ("json", "ubj"):
            booster = xgb.Booster()
            booster.load_model(f"{d}/{name}.{ext}")
            dm = xgb.DMatrix(x, feature_names=meta["features"])
            pred = booster.predict(dm).reshape(-1)
            ours = np.fromfile(f"{d}/{name}.pred.f32", dtype="<f4")
            if pred.shape != ours.shape:
                print(f"{name}.{ext}: {pred.shape} predictions, climahealth made {ours.shape}")
                return 1
            diff = float(np.max(np.abs(pred - ours)))
            print(f"{name}.{ext}: max |diff| {diff:.3g} over {pred.size} values")
            worst = max(worst, diff)
    return 0 if worst < TOLERANCE else 1


def scaler(d):
    _, x = load_x(d)
    doc = json.load(open(f"{d}/scaler.json"))
    x = x.astype(np.float64)
    mean = np.nanmean(x, axis=0)
    var = np.nanvar(x, axis=0)  # ddof=0, as StandardScaler
    scale = np.sqrt(var)
    scale[scale < 10 * np.finfo(np.float64).eps] = 1.0
    ok = True
    for key, want in (("mean_", mean), ("var_", var), ("scale_", scale)):
        got = np.array(doc[key], dtype=np.float64)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-9, atol=1e-12):
            print(f"{key}: climahealth {got}, expected {want}")
            ok = False
    if doc["n_features_in_"] != x.shape[1] or len(doc["feature_names_in_"]) != x.shape[1]:
        print("n_features_in_ / feature_names_in_ do not match the data")
        ok = False
    z_ours = np.fromfile(f"{d}/z.f32", dtype="<f4").reshape(x.shape)
    z_want = ((x - np.array(doc["mean_"])) / np.array(doc["scale_"])).astype(np.float32)
    if not np.allclose(z_ours, z_want, atol=1e-5, equal_nan=True):
        print("transform differs")
        ok = False
    print("scaler ok" if ok else "scaler mismatch")
    return 0 if ok else 1


if __name__ == "__main__":
    verb, directory = sys.argv[1], sys.argv[2]
    if verb == "train":
        train(directory)
        sys.exit(0)
    sys.exit({"check": check, "scaler": scaler}[verb](directory))
