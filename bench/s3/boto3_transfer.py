"""boto3 peer of bench_s3_transfer: same arguments, upload_file/download_file."""
import concurrent.futures
import json
import os
import sys
import time

import boto3
from boto3.s3.transfer import TransferConfig


def main():
    endpoint, bucket, mode, local, prefix, conc, part_mib = sys.argv[1:8]
    conc, part = int(conc), int(part_mib) << 20
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    cfg = TransferConfig(multipart_threshold=part, multipart_chunksize=part,
                         max_concurrency=conc)
    t0 = time.monotonic()
    if mode == "put" and os.path.isdir(local):
        names = os.listdir(local)
        with concurrent.futures.ThreadPoolExecutor(conc) as ex:
            list(ex.map(lambda n: s3.upload_file(os.path.join(local, n), bucket,
                                                 prefix + "/" + n), names))
    elif mode == "put":
        s3.upload_file(local, bucket, prefix, Config=cfg)
    elif prefix.endswith("/"):
        os.makedirs(local, exist_ok=True)
        keys = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
            keys += [o["Key"] for o in page.get("Contents", [])]
        with concurrent.futures.ThreadPoolExecutor(conc) as ex:
            list(ex.map(lambda k: s3.download_file(bucket, k, os.path.join(
                local, k[len(prefix):])), keys))
    else:
        s3.download_file(bucket, prefix, local, Config=cfg)
    print(json.dumps({"seconds": round(time.monotonic() - t0, 3)}))


main()
