#!/usr/bin/python3
"""Prints botocore's SigV4 header and presigned-query signatures for one S3 request.

Usage: botocore_sign.py METHOD ENCODED_KEY QUERY PAYLOAD TOKEN   (used by sigv4_test.cc)
Time is fixed at 2024-03-04T05:06:07Z, region us-east-1, bucket climahealth-raw on
http://127.0.0.1:7480 (path style), expiry 900 s.
"""
import datetime
import re
import sys
from unittest import mock

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

method, key, query, payload, token = sys.argv[1:6]
creds = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token or None)
url = "http://127.0.0.1:7480/climahealth-raw/" + key + ("?" + query if query else "")
fixed = datetime.datetime(2024, 3, 4, 5, 6, 7)


def sign(auth, data):
    request = AWSRequest(method=method, url=url, data=data)
    with mock.patch("botocore.auth.datetime") as dt:
        dt.datetime.utcnow.return_value = fixed
        dt.datetime.now.return_value = fixed
        auth.add_auth(request)
    return request


header = sign(S3SigV4Auth(creds, "s3", "us-east-1"), payload.encode())
print("header", re.search(r"Signature=([0-9a-f]{64})", header.headers["Authorization"]).group(1))
query = sign(S3SigV4QueryAuth(creds, "s3", "us-east-1", expires=900), b"")
print("query", re.search(r"X-Amz-Signature=([0-9a-f]{64})", query.url).group(1))
