#!/usr/bin/env bash
# Starts the VeloZ gateway locally: Azurite (Table/Queue/Blob storage emulator), the worker and the
# HTTP API (standalone on Kestrel). Installs what is missing first. Ctrl-C stops all three.
#
#   ./scripts/run_gateway.sh dev
#
# Environment: every VELOZ_* setting (docs/configuration.md); logs are text on a terminal, JSON lines when this
# script's output goes to a pipe or a file (VELOZ_LOG_FORMAT forces either). AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT /
# AZURITE_TABLE_PORT move Azurite off 10000-10002. If AzureWebJobsStorage is set, that storage is used
# and no Azurite is started. VELOZ_SKIP_BUILD=1 reuses the existing build.
set -euo pipefail
source "$(dirname "$0")/common.sh"

mode=${1:-}
if [ "$mode" != "dev" ]; then
  echo "usage: $0 dev" >&2
  exit 64
fi

require_tools
cd "$VELOZ_ROOT"

if [ "${VELOZ_SKIP_BUILD:-0}" != "1" ]; then
  ensure_node_modules
  echo "==> building the API and the worker"
  dotnet build functions/VeloZ.Functions/VeloZ.Functions.csproj -nologo -v quiet -clp:ErrorsOnly >/dev/null || {
    dotnet build functions/VeloZ.Functions/VeloZ.Functions.csproj -nologo -v quiet -clp:ErrorsOnly; die "build of the API failed"; }
  dotnet build worker/VeloZ.Worker/VeloZ.Worker.csproj -nologo -v quiet -clp:ErrorsOnly >/dev/null || {
    dotnet build worker/VeloZ.Worker/VeloZ.Worker.csproj -nologo -v quiet -clp:ErrorsOnly; die "build of the worker failed"; }
fi

api_host=${VELOZ_HOST:-127.0.0.1}
api_port=${VELOZ_PORT:-8080}
blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}
start_azurite=1
[ -n "${AzureWebJobsStorage:-}" ] && start_azurite=0

busy=()
port_in_use "$api_port" && busy+=("$api_port (VeloZ API, VELOZ_PORT)")
if [ "$start_azurite" = 1 ]; then
  port_in_use "$blob_port" && busy+=("$blob_port (Azurite blob, AZURITE_BLOB_PORT)")
  port_in_use "$queue_port" && busy+=("$queue_port (Azurite queue, AZURITE_QUEUE_PORT)")
  port_in_use "$table_port" && busy+=("$table_port (Azurite table, AZURITE_TABLE_PORT)")
fi
if [ ${#busy[@]} -gt 0 ]; then
  for b in "${busy[@]}"; do echo "error: port $b is already in use on 127.0.0.1" >&2; done
  echo "Stop the process using it, or choose another port with the variable named above." >&2
  exit 3
fi

app_pids=()
azurite_pid=
stopping=0
# Asks the given processes to stop and waits up to 10 s, then kills what is left.
# Children of a non-interactive shell ignore SIGINT, so they are asked with SIGTERM (the .NET host
# and Azurite both shut down gracefully on it).
stop_pids() {
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return
    sleep 0.2
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
}
# The API and the worker first (the worker writes a last status row), then Azurite.
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  [ ${#app_pids[@]} -gt 0 ] && stop_pids "${app_pids[@]}"
  [ -n "$azurite_pid" ] && stop_pids "$azurite_pid"
  return 0
}
trap 'echo; echo "==> stopping"; stop_all; exit 130' INT TERM

if [ "$start_azurite" = 1 ]; then
  mkdir -p .azurite
  node node_modules/azurite/dist/src/azurite.js --location .azurite --silent --skipApiVersionCheck --disableTelemetry \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" \
    > >(sed -u 's/^/[azurite] /') 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 100); do port_in_use "$table_port" && break; sleep 0.1; done
  port_in_use "$table_port" || { stop_all; die "Azurite did not start on port $table_port"; }
  export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1;"
fi

# The API and the worker write JSON lines when their output is not a terminal, and it is not here (each goes
# through sed for its [api]/[worker] prefix); a person at a terminal reads text. VELOZ_LOG_FORMAT still wins.
if [ -t 1 ] && [ -z "${VELOZ_LOG_FORMAT:-}" ]; then
  export VELOZ_LOG_FORMAT=text
fi

config=Debug
start_worker() {
  dotnet "worker/VeloZ.Worker/bin/$config/net10.0/VeloZ.Worker.dll" > >(sed -u 's/^/[worker] /') 2>&1 &
  worker_pid=$!
}
start_worker
dotnet "functions/VeloZ.Functions/bin/$config/net10.0/VeloZ.Functions.dll" > >(sed -u 's/^/[api] /') 2>&1 &
api_pid=$!
app_pids=("$worker_pid" "$api_pid")

for _ in $(seq 1 100); do
  port_in_use "$api_port" && break
  kill -0 "$api_pid" 2>/dev/null && kill -0 "$worker_pid" 2>/dev/null || break
  sleep 0.1
done

if kill -0 "$api_pid" 2>/dev/null && kill -0 "$worker_pid" 2>/dev/null; then
  echo
  echo "VeloZ is running (Ctrl-C stops it):"
  echo "  API      http://$api_host:$api_port   (try: curl http://$api_host:$api_port/api/market)"
  echo "  config   http://$api_host:$api_port/api/config"
  echo "  health   http://$api_host:$api_port/health"
  [ "$start_azurite" = 1 ] && echo "  Azurite  blob :$blob_port  queue :$queue_port  table :$table_port  (data in .azurite/)"
  echo
fi

# Whichever process ends first ends the run, with its exit code; except a worker that lost its leadership
# (exit 3, e.g. storage was unreachable longer than its lease): it is started again and comes back as a
# standby, then as the leader once the lease is free.
set +e
while true; do
  ended=
  wait -n -p ended "$api_pid" "$worker_pid"
  code=$?
  if [ "$stopping" = 0 ] && [ "$ended" = "$worker_pid" ] && [ "$code" = 3 ]; then
    echo "==> the worker lost its leadership (exit 3); starting it again" >&2
    start_worker
    app_pids=("$worker_pid" "$api_pid")
    continue
  fi
  break
done
set -e
if [ "$stopping" = 0 ]; then
  echo "==> a VeloZ process exited (code $code); stopping the others" >&2
  stop_all
fi
[ "$code" = 0 ] && code=1
exit "$code"
