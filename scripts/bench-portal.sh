#!/usr/bin/env bash
# The portal benchmark (issue 6): a release build of `fabu` on a SQLite database holding
# YEARS years of synthetic releases for the four demo jurisdictions (PER_YEAR per jurisdiction
# and year), measured with wrk on this machine. Prints requests/s and latency percentiles of the
# column home, a record page, a column page and a search, each next to a constant "hello" route
# of the same server measured in the same run (timings on a shared machine are noisy: compare
# the ratios).
#
# Usage: scripts/bench-portal.sh            (YEARS=10 PER_YEAR=300 DURATION=20s CONNECTIONS=32)
set -euo pipefail
cd "$(dirname "$0")/.."
YEARS=${YEARS:-10}
PER_YEAR=${PER_YEAR:-300}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PORT=${PORT:-18480}
SCRATCH=${SCRATCH:-.build-release}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl; }

echo "== swift build -c release (scratch path $SCRATCH)"
swift build -c release --product fabu --scratch-path "$SCRATCH" 2>&1 | tail -1
BIN="$SCRATCH/release/fabu"

DATA=$(mktemp -d /tmp/fabu-bench.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT
export FABU_DATA_DIR="$DATA" FABU_ADMIN_PASSWORD=bench-password-2026 FABU_SCHEDULER_SECONDS=0

echo "== generating $YEARS years x $PER_YEAR releases for each jurisdiction"
start=$(date +%s)
"$BIN" generate-history --synthetic --years "$YEARS" --per-year "$PER_YEAR" --log warning
echo "   took $(( $(date +%s) - start )) s; database $(du -h "$DATA/fabu.sqlite" | cut -f1)"

"$BIN" serve --hostname 127.0.0.1 --port "$PORT" --log warning >"$DATA/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
BASE="http://127.0.0.1:$PORT"
# A record from the middle of the decade (page 40 of 发布实录), or the newest when there are fewer.
RECORD=$( { curl -fs "$BASE/j/wulong/records?page=40" || curl -fs "$BASE/j/wulong/records"; } | grep -o 'href="/releases/[0-9A-Fa-f-]*"' | head -1 | cut -d'"' -f2 || true)
[ -n "$RECORD" ] || { echo "no record found"; cat "$DATA/server.log"; exit 1; }
SEARCH="/search?q=%E4%BE%9B%E6%9A%96&j=wulong"            # 供暖: two characters, below a trigram: a scan
SEARCH_FTS="/search?q=%E4%BE%9B%E6%9A%96%E4%BF%9D%E9%9A%9C&j=wulong"   # 供暖保障: the trigram index

declare -A RPS P50 P99
run() { # name path
    curl -fs -o /dev/null "$BASE$2" || { echo "$2 does not answer 200"; exit 1; }
    wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "$BASE$2" >/dev/null          # warm-up
    local out; out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE$2")
    RPS[$1]=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    P50[$1]=$(awk '$1=="50%" {print $2}' <<<"$out")
    P99[$1]=$(awk '$1=="99%" {print $2}' <<<"$out")
    if grep -q "Non-2xx" <<<"$out"; then echo "$2: errors"; echo "$out"; exit 1; fi
}
echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a 5 s warm-up each)"
run hello /bench/hello
run column /j/wulong
run record "$RECORD"
run list "/j/wulong/records?page=5"
run search "$SEARCH"
run search_fts "$SEARCH_FTS"

printf "\n| route | path | requests/s | p50 | p99 | vs hello |\n|---|---|---:|---:|---:|---:|\n"
for name in hello column record list search search_fts; do
    case $name in
        hello) path=/bench/hello ;; column) path=/j/wulong ;; record) path="/releases/…" ;;
        list) path="/j/wulong/records?page=5" ;; search) path="/search?q=供暖&j=wulong" ;;
        search_fts) path="/search?q=供暖保障&j=wulong" ;;
    esac
    ratio=$(awk -v a="${RPS[$name]}" -v b="${RPS[hello]}" 'BEGIN { printf "%.2f", a / b }')
    printf "| %s | %s | %s | %s | %s | %s |\n" "$name" "$path" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "$ratio"
done
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(swift --version 2>/dev/null | head -1)"
