"""Loads a CSV with pandas.read_csv and prints one JSON line: seconds, rows, peak RSS."""
import json
import resource
import sys
import time

import pandas as pd


def main() -> None:
    path = sys.argv[1]
    base_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    frame = pd.read_csv(path, parse_dates=["date"])
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"peer": "pandas " + pd.__version__, "seconds": seconds, "rows": len(frame),
                      "peak_rss_mib": peak_kib / 1024, "baseline_rss_mib": base_kib / 1024}))


if __name__ == "__main__":
    main()
