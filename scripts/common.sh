# Shared by run_gateway.sh and test.sh: locate the repository and install what is missing.
# shellcheck shell=bash

VELOZ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export VELOZ_ROOT
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

die() { echo "error: $*" >&2; exit 1; }

require_tools() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (dotnet not found on PATH)"
  command -v node >/dev/null 2>&1 || die "Node.js 20 or newer is required for Azurite (node not found on PATH)"
  command -v npm >/dev/null 2>&1 || die "npm is required for Azurite (npm not found on PATH)"
}

# Installs the npm packages (Azurite) from the committed lock file when they are missing or stale.
ensure_node_modules() {
  local marker="$VELOZ_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$marker" ] || [ "$VELOZ_ROOT/package-lock.json" -nt "$marker" ] || [ ! -f "$VELOZ_ROOT/node_modules/azurite/dist/src/azurite.js" ]; then
    echo "==> installing npm packages (Azurite) from package-lock.json"
    (cd "$VELOZ_ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed; check that the npm registry is reachable"
  fi
}

# Installs Debian's chromium (the browser tests drive it with Playwright) when it is missing and we can.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing chromium (Debian package) for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || die "apt-get install chromium failed"
  else
    echo "warning: /usr/bin/chromium is missing and cannot be installed without root; the browser test will fail (apt-get install chromium)" >&2
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}
