#!/usr/bin/env bash
# Installs what is missing (npm packages for Azurite, NuGet packages), builds once, and runs every
# test project of VeloZ.sln in parallel. Tests start Azurite, the worker, the API and the simulated
# venue themselves. Ends with one summary line: "tests: N passed, N failed, N skipped".
#
#   ./scripts/test.sh                 all tests
#   ./scripts/test.sh --filter-...    extra arguments go to 'dotnet test'
#   VELOZ_TEST_HOST=standalone|functions|both ./scripts/test.sh
#                                     which API hosts the end-to-end contract tests run against (default both)
set -euo pipefail
source "$(dirname "$0")/common.sh"

require_tools
cd "$VELOZ_ROOT"
ensure_node_modules
ensure_chromium

echo "==> restoring and building (Debug)"
dotnet build VeloZ.sln -nologo -v quiet -clp:ErrorsOnly

# The deployment package, published once per run with the same script a deployment uses: the
# end-to-end tests run the API from it (standalone and behind the Functions host stand-in), and the
# infrastructure tests check its layout and functions.metadata.
"$VELOZ_ROOT/scripts/publish.sh" --output artifacts/functions-publish --zip artifacts/deploy/veloz-functions.zip
export VELOZ_FUNCTIONS_PUBLISH_DIR="$VELOZ_ROOT/artifacts/functions-publish"
export VELOZ_FUNCTIONS_PACKAGE="$VELOZ_ROOT/artifacts/deploy/veloz-functions.zip"

results="$VELOZ_ROOT/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
log="$results/dotnet-test.log"

echo "==> running tests"
set +e
dotnet test --solution VeloZ.sln --no-build --no-progress --results-directory "$results" \
  --report-xunit-trx --timeout 20m "$@" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e

# Summary: the test platform's own totals at the end of the log; the TRX files (one per test project,
# named by the second they were written, so two projects can overwrite each other) only as a fallback.
read -r passed failed skipped < <(python3 - "$log" "$results" <<'PY' 2>/dev/null || echo "0 0 0"
import glob, re, sys, xml.etree.ElementTree as ET
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
def last(name):
    found = re.findall(r"^\s+" + name + r": (\d+)\s*$", text, re.M)
    return int(found[-1]) if found else None
succeeded, failed, skipped = last("succeeded"), last("failed"), last("skipped")
if succeeded is not None and failed is not None:
    print(succeeded, failed, skipped or 0)
    sys.exit(0)
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
for path in glob.glob(sys.argv[2] + "/**/*.trx", recursive=True):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None:
        continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    s += int(c.get("notExecuted", 0))
print(p, f, s)
PY
)
echo
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$code" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "error: no test ran" >&2
  exit 1
fi
exit "$code"
