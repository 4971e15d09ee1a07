#!/usr/bin/env bash
# Builds the AWS Lambda deployment zip: the climahealth binary named `bootstrap`
# (a custom runtime for provided.al2023 / provided.al2) plus the non-system
# shared libraries it links, in lib/ (Lambda puts /var/task/lib on
# LD_LIBRARY_PATH).
#
#   scripts/package-lambda.sh [--build-dir build] [--out climahealth-lambda.zip] [--strip]
#
# The glibc family (libc, libm, libpthread, libdl, librt, libresolv, the
# loader) is left out: the Lambda image provides it. Build on a system whose
# glibc is not newer than the target image's (Amazon Linux 2023: 2.34), e.g. in
# an amazonlinux:2023 container, or the binary will not start there.
set -euo pipefail

build_dir=build
out=climahealth-lambda.zip
strip_binary=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --strip) strip_binary=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "package-lambda: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

binary="$build_dir/src/cli/climahealth"
if [[ ! -x "$binary" ]]; then
  echo "package-lambda: $binary not found; build the climahealth target first" >&2
  exit 1
fi

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib"
cp "$binary" "$stage/bootstrap"
chmod 755 "$stage/bootstrap"
if [[ $strip_binary -eq 1 ]]; then strip "$stage/bootstrap"; fi

is_system_lib() {
  case "$(basename "$1")" in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|libresolv.so.*|libutil.so.*) return 0 ;;
    ld-linux*.so.*|linux-vdso.so.*) return 0 ;;
  esac
  return 1
}

# libcurl is opened at run time (src/net/curl_library.h), not linked: find it
# the way the loader will, and package it with its own dependencies.
curl_lib=$(/sbin/ldconfig -p | awk '$1 == "libcurl.so.4" && /x86-64/ { print $NF; exit }')
if [[ -z $curl_lib ]]; then
  echo "package-lambda: libcurl.so.4 not found (install libcurl4)" >&2
  exit 1
fi
# Every resolved library of the binary and of libcurl (ldd follows the
# transitive closure).
{ echo "libcurl.so.4 => $curl_lib (0)"; ldd "$binary"; ldd "$curl_lib"; } |
  awk '/=> \// { print $3 }' | sort -u | while read -r lib; do
  if is_system_lib "$lib"; then continue; fi
  cp -L "$lib" "$stage/lib/"
done
if { ldd "$binary"; ldd "$curl_lib"; } | grep -q "not found"; then
  echo "package-lambda: unresolved libraries:" >&2
  { ldd "$binary"; ldd "$curl_lib"; } | grep "not found" >&2
  exit 1
fi

out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
rm -f "$out_abs"
if command -v zip >/dev/null 2>&1; then
  (cd "$stage" && zip -q -r -9 "$out_abs" bootstrap lib)
else
  /usr/bin/python3 - "$stage" "$out_abs" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for root, _, files in os.walk(stage):
        for name in sorted(files):
            path = os.path.join(root, name)
            arc = os.path.relpath(path, stage)
            info = zipfile.ZipInfo(arc)
            info.external_attr = (os.stat(path).st_mode & 0o777 | 0o100000) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
PY
fi
count=$(ls "$stage/lib" | wc -l)
size=$(du -h "$out_abs" | cut -f1)
echo "package-lambda: $out ($size): bootstrap + $count libraries in lib/"
echo "  deploy: aws lambda create-function --runtime provided.al2023 --handler bootstrap \\"
echo "    --zip-file fileb://$out --role <role-arn> --function-name climahealth-predict"
