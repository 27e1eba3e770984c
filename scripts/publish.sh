#!/usr/bin/env bash
# Publishes the API (functions/VeloZ.Functions) as an Azure Functions deployment package for Flex
# Consumption: `dotnet publish` (Release, linux-x64, framework-dependent) into a folder, then that
# folder's *contents* zipped at the root of the package, hidden `.azurefunctions/` included.
#
#   ./scripts/publish.sh                       artifacts/functions-publish/ and artifacts/deploy/veloz-functions.zip
#   ./scripts/publish.sh --output DIR --zip FILE
#   ./scripts/publish.sh --no-zip              the folder only
#
# Deploy the zip with `az functionapp deploy --src-path artifacts/deploy/veloz-functions.zip --type zip`
# (see docs/deployment.md). scripts/test.sh runs this once per test run and hands the folder to the tests.
set -euo pipefail
source "$(dirname "$0")/common.sh"

output="artifacts/functions-publish"
zip_file="artifacts/deploy/veloz-functions.zip"
make_zip=1
while [ $# -gt 0 ]; do
  case "$1" in
    --output) output="${2:?--output needs a folder}"; shift 2 ;;
    --zip) zip_file="${2:?--zip needs a file name}"; shift 2 ;;
    --no-zip) make_zip=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed -E 's/^# ?//'; exit 0 ;;
    *) die "unknown argument '$1' (see ./scripts/publish.sh --help)" ;;
  esac
done

command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (dotnet not found on PATH)"
cd "$VELOZ_ROOT"
case "$output" in /*) ;; *) output="$VELOZ_ROOT/$output" ;; esac
case "$zip_file" in /*) ;; *) zip_file="$VELOZ_ROOT/$zip_file" ;; esac

echo "==> publishing functions/VeloZ.Functions (Release, linux-x64) into ${output#"$VELOZ_ROOT"/}"
# A clean folder: files left from an older publish would otherwise end up in the package.
rm -rf "$output"
dotnet publish functions/VeloZ.Functions/VeloZ.Functions.csproj -c Release -r linux-x64 --self-contained false \
  -o "$output" -nologo -v quiet -clp:ErrorsOnly

for required in host.json functions.metadata worker.config.json extensions.json .azurefunctions VeloZ.Functions.dll; do
  [ -e "$output/$required" ] || die "the publish output has no $required; the package would not run on Azure Functions"
done

if [ "$make_zip" -eq 1 ]; then
  echo "==> packaging ${zip_file#"$VELOZ_ROOT"/}"
  mkdir -p "$(dirname "$zip_file")"
  rm -f "$zip_file"
  # zip -r includes dot-folders; -X leaves out extra file attributes. python3 when zip is missing.
  if command -v zip >/dev/null 2>&1; then
    (cd "$output" && zip -q -r -X "$zip_file" .)
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$output" "$zip_file" <<'PY'
import os, sys, zipfile
root, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            z.write(path, os.path.relpath(path, root))
PY
  else
    die "zip or python3 is needed to build the package"
  fi
  echo "    $(du -h "$zip_file" | cut -f1) ${zip_file#"$VELOZ_ROOT"/}"
fi
