#!/usr/bin/env bash
# Side-by-side load comparison: Saker core API vs raw Netty codec-http, plaintext keep-alive and
# pipelined (depth 16), plus write syscalls per pipelined batch under strace.
#
#   benchmarks/bench.sh            full run (warmup, then 5 interleaved rounds of 10 s per scenario)
#   benchmarks/bench.sh --smoke    1 round of 2 s, 100 strace batches: proves the harness works
#
# Environment: JAVA (default Temurin 25 if present, else java on PATH), CONNS (64), DEPTH (16),
# ROUNDS, DURATION, WARMUP (seconds), BATCHES (strace batches, 0 to skip), SCENARIOS
# ("keepalive pipelined"), SAKER_PORT (18080), NETTY_PORT (18081), OUT (result directory).
# The server is pinned to CPU 0 and wrk to CPU 1; only 127.0.0.1 is used; every step is bounded.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
JAR="$HERE/target/benchmarks.jar"

SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
  esac
done
if [[ $SMOKE == 1 ]]; then
  ROUNDS=${ROUNDS:-1}; DURATION=${DURATION:-2}; WARMUP=${WARMUP:-2}; BATCHES=${BATCHES:-100}
else
  ROUNDS=${ROUNDS:-5}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-10}; BATCHES=${BATCHES:-1000}
fi
SCENARIOS=${SCENARIOS:-keepalive pipelined}
CONNS=${CONNS:-64}
DEPTH=${DEPTH:-16}
OUT=${OUT:-$HERE/target/bench}
if [[ -z "${JAVA:-}" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else
    JAVA=$(command -v java)
  fi
fi
SERVER_CPU=0
LOAD_CPU=1
SAKER_PORT=${SAKER_PORT:-18080}
NETTY_PORT=${NETTY_PORT:-18081}
# The same JVM flags for both servers.
JVM_OPTS=(-Xms256m -Xmx256m)
if "$JAVA" --enable-native-access=ALL-UNNAMED -version >/dev/null 2>&1; then
  JVM_OPTS+=(--enable-native-access=ALL-UNNAMED)
fi

log() { echo "[bench] $*" >&2; }

# ------------------------------------------------------------------ prerequisites

if [[ ! -f "$JAR" ]]; then
  log "building $JAR"
  (cd "$ROOT" && ./mvnw -q -B -pl benchmarks -am package -DskipTests)
fi
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v strace >/dev/null || missing+=(strace)
command -v taskset >/dev/null || missing+=(util-linux)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  if [[ $(id -u) == 0 ]]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if (($(nproc) < 2)); then
  log "needs 2 CPUs (server on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU)"; exit 1
fi

mkdir -p "$OUT"
RAW="$OUT/raw.tsv"
printf 'scenario\tround\tserver\trps\tp50_us\tp99_us\tcpu_us_per_req\trss_mib\terrors\trequests\tuser_us_per_req\n' > "$RAW"
CLK_TCK=$(getconf CLK_TCK)
PIPELINE_LUA="$OUT/pipeline.lua"
cat > "$PIPELINE_LUA" <<EOF
-- $DEPTH pipelined GETs per request batch; wrk counts every response.
init = function(args)
  local r = {}
  for i = 1, $DEPTH do r[i] = wrk.format(nil, "/plaintext") end
  batch = table.concat(r)
end
request = function() return batch end
EOF

# ------------------------------------------------------------------ servers

declare -A PID PORT
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM

start_server() { # name class port
  local name=$1 class=$2 port=$3
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    log "port $port is already taken (set SAKER_PORT / NETTY_PORT)"; exit 1
  fi
  taskset -c "$SERVER_CPU" "$JAVA" "${JVM_OPTS[@]}" -cp "$JAR" "$class" "$port" 1 >"$OUT/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  PID[$name]=$pid
  PORT[$name]=$port
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$OUT/$name.log" >&2; log "$name died"; exit 1; }
    sleep 0.1
  done
  log "$name did not listen on $port within 10 s"; exit 1
}

cpu_ticks() { # "utime stime" of a process, in clock ticks
  awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$1/stat"
}

rss_mib() {
  awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"
}

# ------------------------------------------------------------------ load

# wrk latency figures ("812.00us", "1.20ms", "1.01s") to microseconds
to_us() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "ms") n *= 1000; else if (u == "s") n *= 1000000; else if (u == "m") n *= 60000000
    printf "%.1f", n }'
}

run_wrk() { # server scenario seconds -> wrk output on stdout
  local name=$1 scenario=$2 seconds=$3 extra=()
  [[ $scenario == pipelined ]] && extra=(-s "$PIPELINE_LUA")
  timeout $((seconds + 30)) taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"${seconds}s" --timeout 5s --latency \
    "${extra[@]}" "http://127.0.0.1:${PORT[$name]}/plaintext"
}

measure() { # scenario round server
  local scenario=$1 round=$2 name=$3 pid=${PID[$3]}
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(run_wrk "$name" "$scenario" "$DURATION")
  after=$(cpu_ticks "$pid")
  echo "$out" >"$OUT/wrk-$scenario-$name-$round.txt"
  local requests rps p50 p99 non2xx sockerr errors cpu user
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_us "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_us "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  # wrk's histogram misreports high percentiles of pipelined runs as 0: record them as missing.
  [[ $p99 == 0.0 ]] && p99=nan
  non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  sockerr=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  errors=$(( ${non2xx:-0} + ${sockerr:-0} ))
  read -r cpu user < <(awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v n="$requests" 'BEGIN {
    split(b, x, " "); split(a, y, " "); u = y[1] - x[1]; s = y[2] - x[2]
    if (n > 0) printf "%.3f %.3f\n", (u + s) * 1e6 / hz / n, u * 1e6 / hz / n; else print "0 0" }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$round" "$name" "$rps" "$p50" "$p99" "$cpu" \
    "$(rss_mib "$pid")" "$errors" "$requests" "$user" >>"$RAW"
  log "$scenario round $round $name: $rps req/s, p50 $p50 us, p99 $p99 us, $cpu CPU us/req (user $user), errors $errors"
}

# ------------------------------------------------------------------ syscalls

strace_batches() { # server -> "writes reads" per batch
  local name=$1 pid=${PID[$1]} file="$OUT/strace-$1.txt"
  # Attach to every thread of the running (warm) server; -c counts, -f follows all threads.
  timeout 120 strace -f -c -e trace=write,writev,sendmsg,sendto,read,readv,recvfrom -o "$file" -p "$pid" 2>/dev/null &
  local spid=$!
  sleep 1
  timeout 60 taskset -c "$LOAD_CPU" "$JAVA" -cp "$JAR" dev.saker.bench.PipelinedBatchClient \
    "${PORT[$name]}" "$BATCHES" "$DEPTH" >"$OUT/batches-$name.txt"
  sleep 0.5
  kill -INT "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  awk -v b="$BATCHES" '
    $NF ~ /^(write|writev|sendmsg|sendto)$/ { w += $4 }
    $NF ~ /^(read|readv|recvfrom)$/ { r += $4 }
    END { printf "%.2f %.2f\n", w / b, r / b }' "$file"
}

# ------------------------------------------------------------------ run

log "java: $("$JAVA" -version 2>&1 | head -1); rounds $ROUNDS x ${DURATION}s, $CONNS connections, depth $DEPTH"
start_server saker dev.saker.bench.SakerCoreServer "$SAKER_PORT"
start_server netty dev.saker.bench.RawNettyServer "$NETTY_PORT"
SERVERS=(saker netty)

for scenario in $SCENARIOS; do
  for name in "${SERVERS[@]}"; do
    log "warmup $scenario $name (${WARMUP}s)"
    run_wrk "$name" "$scenario" "$WARMUP" >/dev/null
  done
done
for scenario in $SCENARIOS; do
  for round in $(seq "$ROUNDS"); do
    for name in "${SERVERS[@]}"; do
      measure "$scenario" "$round" "$name"
    done
  done
done

declare -A SYSCALLS
for name in "${SERVERS[@]}"; do
  ((BATCHES > 0)) || break
  SYSCALLS[$name]=$(strace_batches "$name")
  log "strace $name: writes/batch reads/batch = ${SYSCALLS[$name]}"
done

# ------------------------------------------------------------------ report

median() {
  awk '$1 ~ /^[0-9.]+$/' | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
col() { # scenario server column -> median
  awk -F'\t' -v s="$1" -v n="$2" -v c="$3" 'NR > 1 && $1 == s && $3 == n { print $c }' "$RAW" | median
}
sum_col() {
  awk -F'\t' -v s="$1" -v n="$2" -v c="$3" 'NR > 1 && $1 == s && $3 == n { t += $c } END { print t + 0 }' "$RAW"
}
# Median over rounds of saker/netty for one column: each round pairs two neighbouring measurements,
# so slow drift of the shared machine cancels out of the ratio.
ratio() { # scenario column
  awk -F'\t' -v s="$1" -v c="$2" '
    NR > 1 && $1 == s && $(c) ~ /^[0-9.]+$/ { v[$3, $2] = $(c); r[$2] = 1 }
    END { for (k in r) if ((("saker", k) in v) && (("netty", k) in v) && v["netty", k] > 0) print v["saker", k] / v["netty", k] }' \
    "$RAW" | median | awk '{ if ($1 == "n/a") print; else printf "%.2f", $1 }'
}

REPORT="$OUT/results.md"
{
  echo "Medians of $ROUNDS interleaved rounds of ${DURATION}s; server on CPU $SERVER_CPU, wrk (1 thread) on CPU $LOAD_CPU;"
  echo "$CONNS keep-alive connections; pipelined = $DEPTH requests per write. Errors are summed over the rounds."
  for scenario in $SCENARIOS; do
    echo
    echo "#### $scenario"
    echo
    echo "| server | req/s | p50 (us) | p99 (us) | CPU us/req | of which user | RSS (MiB) | errors |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for name in "${SERVERS[@]}"; do
      label=$([[ $name == saker ]] && echo "Saker core API" || echo "raw Netty codec-http")
      echo "| $label | $(col $scenario $name 4) | $(col $scenario $name 5) | $(col $scenario $name 6) | $(col $scenario $name 7) | $(col $scenario $name 11) | $(col $scenario $name 8) | $(sum_col $scenario $name 9) |"
    done
    echo "| **ratio Saker / raw Netty** (median of per-round ratios) | $(ratio $scenario 4) | $(ratio $scenario 5) | $(ratio $scenario 6) | $(ratio $scenario 7) | $(ratio $scenario 11) | $(ratio $scenario 8) | |"
  done
  ((BATCHES > 0)) || exit 0
  echo
  echo "#### syscalls per pipelined batch ($BATCHES batches of $DEPTH GETs, one connection, strace -f -c)"
  echo
  echo "| server | write syscalls / batch | read syscalls / batch |"
  echo "| --- | ---: | ---: |"
  for name in "${SERVERS[@]}"; do
    read -r w r <<<"${SYSCALLS[$name]}"
    echo "| $name | $w | $r |"
  done
} >"$REPORT"
cat "$REPORT"
log "raw rounds: $RAW; report: $REPORT"
