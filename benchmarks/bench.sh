#!/usr/bin/env bash
# The whole server comparison: the same endpoints on Saker's core API, raw Netty codec-http, Spring
# MVC on Saker, Tomcat and Jetty, WebFlux on Reactor Netty and on Saker, and nginx; load from wrk; then memory
# per idle keep-alive connection, write syscalls per pipelined batch (strace), start-up time of the
# sample application on Saker and on Tomcat, and engine allocation per request (JMH -prof gc).
#
#   benchmarks/bench.sh            full run; writes docs/benchmarks.md (between its bench markers)
#                                  and docs/benchmarks-*.png
#   benchmarks/bench.sh --smoke    a few seconds per server, everything under $OUT only
#
# Environment (defaults in brackets): JAVA [Temurin 25 if present], SERVERS [all], SCENARIOS [all],
# ROUNDS, DURATION, WARMUP (seconds, per server and scenario), INITIAL_WARMUP (seconds of plaintext per
# server before the first scenario: Spring on one core needs it), CONNS [64], DEPTH [16], BATCHES (strace batches, 0 skips),
# IDLE_CONNS (0 skips), STARTUP_RUNS (0 skips), JMH [1 in a full run], BASE_PORT [18080],
# OUT [benchmarks/target/bench or bench-smoke], DOCS [docs/benchmarks.md in a full run, none with BASELINE],
# BASELINE [none]: a commit to measure beside the working tree. Its server jars (benchmarks.jar and the
# mvc-saker application) are built once in a temporary `git worktree` under /tmp and kept in
# benchmarks/target/baseline-<commit>; each of saker-core and mvc-saker in SERVERS gets a
# `<server>-baseline` twin measured in the same interleaved rounds (the twin first in even rounds, so an
# even ROUNDS balances the order), and the report adds new/baseline ratios per round (results.md,
# "Against the baseline", also printed at the end).
# TLS_SCENARIOS [plaintext close]: the scenarios the TLS servers (mvc-saker-tls, mvc-tomcat-tls: the
# same apps over HTTPS with one ECDSA P-256 key made per run) take part in; close is a full TLS
# handshake per request.
# HTTP/2 (issue 13), measured with h2load (nghttp2-client) instead of wrk: the h2c scenario (plaintext over
# cleartext HTTP/2 with prior knowledge) for the -h2 servers, the h2 scenario (the same over TLS, ALPN h2)
# for the -h2-tls servers; H2_CONNS [16] connections with H2_STREAMS [32] concurrent streams each.
# mvc-tomcat-h2(-tls) is the mvc-tomcat jar started with server.http2.enabled (and TLS as above);
# mvc-saker-h2(-tls) is its Saker twin (the mvc-saker jar with the same properties).
# The h2 servers take part in their HTTP/2 scenario only, and a server that does not start or does not
# answer over HTTP/2 stops the run.
# WebSocket (issue 15): the ws scenario echoes small text messages through the same Spring application
# (a TextWebSocketHandler at /ws/echo) on the WS_SERVERS [mvc-saker mvc-tomcat mvc-jetty] that are in
# SERVERS; the load is dev.saker.bench.WebSocketEchoClient (Netty, one epoll thread, on the load CPU like
# wrk): WS_CONNS [64] connections, each with WS_DEPTH [16] messages of WS_PAYLOAD [16] bytes in flight,
# every echo checked; a "request" of the report is one message echoed.
# WebFlux's floor (issue 16): when webflux is in SERVERS, dev.saker.bench.app.reactive.InProcessHandlerCost
# then calls the WebFlux application's own HttpHandler in process, with no server, pinned to CPU 0, for
# INPROCESS_WARMUP [20; smoke 1] seconds and INPROCESS_ROUNDS [ROUNDS] rounds of INPROCESS_CALLS [300000;
# smoke 20000] calls per path (INPROCESS=0 skips it): Spring's own CPU per request, which the report adds to
# raw Netty's and nginx's to show the best ratio any server could reach against Reactor Netty.
# Servers run on CPU 0, wrk and the other clients on CPU 1; only 127.0.0.1 is used; every step is
# bounded in time and connections, and every process started here is killed on exit.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
JAR="$HERE/target/benchmarks.jar"
APPS="$HERE/apps"
SAMPLE_JAR="$ROOT/sample-app/target/saker-sample-app.jar"

SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
  esac
done
ALL_SERVERS="saker-core netty mvc-saker mvc-tomcat mvc-jetty webflux webflux-saker nginx mvc-saker-tls mvc-tomcat-tls mvc-saker-h2 mvc-tomcat-h2 mvc-saker-h2-tls mvc-tomcat-h2-tls"
ALL_SCENARIOS="plaintext json bytes16k upload pipelined conn1000 close static h2c h2 ws"
if [[ $SMOKE == 1 ]]; then
  ROUNDS=${ROUNDS:-1}; DURATION=${DURATION:-2}; WARMUP=${WARMUP:-1}; BATCHES=${BATCHES:-50}
  IDLE_CONNS=${IDLE_CONNS:-200}; STARTUP_RUNS=${STARTUP_RUNS:-1}; JMH=${JMH:-0}; INITIAL_WARMUP=${INITIAL_WARMUP:-0}
  OUT=${OUT:-$HERE/target/bench-smoke}; DOCS=${DOCS:-}
  INPROCESS_WARMUP=${INPROCESS_WARMUP:-1}; INPROCESS_CALLS=${INPROCESS_CALLS:-20000}
else
  ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-5}; WARMUP=${WARMUP:-5}; BATCHES=${BATCHES:-1000}
  IDLE_CONNS=${IDLE_CONNS:-10000}; STARTUP_RUNS=${STARTUP_RUNS:-5}; JMH=${JMH:-1}; INITIAL_WARMUP=${INITIAL_WARMUP:-20}
  OUT=${OUT:-$HERE/target/bench}
  INPROCESS_WARMUP=${INPROCESS_WARMUP:-20}; INPROCESS_CALLS=${INPROCESS_CALLS:-300000}
  if [[ -n ${BASELINE:-} ]]; then DOCS=${DOCS:-}; else DOCS=${DOCS-$ROOT/docs/benchmarks.md}; fi
fi
SERVERS=(${SERVERS:-$ALL_SERVERS})
SCENARIOS=(${SCENARIOS:-$ALL_SCENARIOS})
CONNS=${CONNS:-64}
DEPTH=${DEPTH:-16}
TLS_SCENARIOS=" ${TLS_SCENARIOS:-plaintext close} "
H2_CONNS=${H2_CONNS:-16}
H2_STREAMS=${H2_STREAMS:-32}
WS_SERVERS=" ${WS_SERVERS:-mvc-saker mvc-tomcat mvc-jetty} "
WS_CONNS=${WS_CONNS:-64}
WS_DEPTH=${WS_DEPTH:-16}
WS_PAYLOAD=${WS_PAYLOAD:-16}
BASE_PORT=${BASE_PORT:-18080}
if [[ -z "${JAVA:-}" ]]; then
  if [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  else
    JAVA=$(command -v java)
  fi
fi
JDK_BIN=$(dirname "$(readlink -f "$JAVA")")
SERVER_CPU=0
LOAD_CPU=1
# The same JVM flags for every Java server (one CPU: the JVM would pick Serial GC anyway).
JVM_OPTS=(-Xms512m -Xmx512m -XX:+UseSerialGC)
# The Java load client of the ws scenario.
CLIENT_OPTS=(-Xms256m -Xmx256m -XX:+UseSerialGC)
if "$JAVA" --enable-native-access=ALL-UNNAMED -version >/dev/null 2>&1; then
  JVM_OPTS+=(--enable-native-access=ALL-UNNAMED)
  CLIENT_OPTS+=(--enable-native-access=ALL-UNNAMED)
fi

log() { echo "[bench] $*" >&2; }
app_of() { # server -> its application (mvc-tomcat-h2-tls -> mvc-tomcat)
  local app=${1%-tls}
  echo "${app%-h2}"
}
die() { log "FAILED: $*"; exit 1; }

# ------------------------------------------------------------------ prerequisites

if [[ $(id -u) == 0 ]]; then SUDO=(); else SUDO=(sudo); fi
PY=/usr/bin/python3
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v h2load >/dev/null || missing+=(nghttp2-client)
command -v strace >/dev/null || missing+=(strace)
command -v taskset >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
[[ -x $PY ]] && "$PY" -c 'import matplotlib' 2>/dev/null || missing+=(python3 python3-matplotlib)
if ((${#missing[@]})); then
  log "installing ${missing[*]} (Debian packages)"
  "${SUDO[@]}" apt-get update -qq || die "apt-get update"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >"/tmp/bench-apt.log" 2>&1 || { tail -20 /tmp/bench-apt.log >&2; die "apt-get install ${missing[*]}"; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk h2load strace taskset curl "$NGINX" "$PY"; do
  command -v "$tool" >/dev/null || die "$tool is required and could not be installed"
done
"$PY" -c 'import matplotlib' || die "python3-matplotlib is required"
(($(nproc) >= 2)) || die "needs 2 CPUs (servers on CPU $SERVER_CPU, load on CPU $LOAD_CPU)"
# 10 000 idle connections need more descriptors than the usual 1 024.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
(($(ulimit -n) > IDLE_CONNS + 1000)) || die "ulimit -n $(ulimit -n) is too low for $IDLE_CONNS connections"

need_build=0
[[ -f $JAR ]] || need_build=1
for s in "${SERVERS[@]}"; do
  app=$(app_of "$s")
  [[ $app == mvc-* || $app == webflux* ]] && [[ ! -f $APPS/$app/target/$app.jar ]] && need_build=1
done
((STARTUP_RUNS > 0)) && [[ ! -f $SAMPLE_JAR || ! -f $APPS/sample-tomcat/target/sample-tomcat.jar ]] && need_build=1
if ((need_build)); then
  log "building the benchmark jars"
  (cd "$ROOT" && ./mvnw -q -B -pl benchmarks,benchmarks/apps/mvc-saker,benchmarks/apps/mvc-tomcat,benchmarks/apps/mvc-jetty,benchmarks/apps/webflux,benchmarks/apps/webflux-saker,benchmarks/apps/sample-tomcat,sample-app -am package -DskipTests) \
    || die "build"
fi

# ------------------------------------------------------------------ baseline build

BASE_JAR=""
BASE_MVC=""
if [[ -n ${BASELINE:-} ]]; then
  BASE_SHA=$(git -C "$ROOT" rev-parse --verify --short=7 "$BASELINE^{commit}" 2>/dev/null) \
    || die "BASELINE=$BASELINE is not a commit of this repository"
  BASE_CACHE="$HERE/target/baseline-$BASE_SHA"
  BASE_JAR="$BASE_CACHE/benchmarks.jar"
  BASE_MVC="$BASE_CACHE/mvc-saker.jar"
  if [[ ! -f $BASE_JAR || ! -f $BASE_MVC ]]; then
    BASE_TREE=$(mktemp -d /tmp/saker-baseline-"$BASE_SHA"-XXXXXX)
    log "building the baseline $BASE_SHA in $BASE_TREE"
    git -C "$ROOT" worktree add --detach "$BASE_TREE" "$BASE_SHA" >/dev/null 2>&1 || die "git worktree add $BASE_SHA"
    built=0
    (cd "$BASE_TREE" && ./mvnw -q -B -pl benchmarks,benchmarks/apps/mvc-saker -am package -DskipTests) \
      >"/tmp/bench-baseline-$BASE_SHA.log" 2>&1 && built=1
    if ((built)); then
      mkdir -p "$BASE_CACHE"
      cp "$BASE_TREE/benchmarks/target/benchmarks.jar" "$BASE_JAR"
      cp "$BASE_TREE/benchmarks/apps/mvc-saker/target/mvc-saker.jar" "$BASE_MVC"
    fi
    git -C "$ROOT" worktree remove --force "$BASE_TREE" || log "could not remove the worktree $BASE_TREE"
    ((built)) || { tail -30 "/tmp/bench-baseline-$BASE_SHA.log" >&2; die "baseline build (see /tmp/bench-baseline-$BASE_SHA.log)"; }
  fi
  log "baseline $BASE_SHA: $BASE_CACHE"
  # Each Saker server is followed by its baseline twin, so every round measures the two side by side.
  with_twins=()
  for s in "${SERVERS[@]}"; do
    with_twins+=("$s")
    [[ $s == saker-core || $s == mvc-saker ]] && with_twins+=("$s-baseline")
  done
  SERVERS=("${with_twins[@]}")
fi

rm -rf "$OUT"
mkdir -p "$OUT/static" "$OUT/nginx"
STATIC="$OUT/static"
head -c $((1024 * 1024)) /dev/urandom >"$STATIC/file-1m.bin"
head -c $((16 * 1024)) /dev/zero | tr '\0' 'x' >"$STATIC/bytes16k"
CLK_TCK=$(getconf CLK_TCK)
RAW="$OUT/raw.tsv"
printf 'scenario\tround\tserver\trps\tp50_us\tp99_us\tcpu_us_per_req\trss_mib\terrors\trequests\tuser_us_per_req\n' >"$RAW"
META="$OUT/meta.tsv"
: >"$META"
meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }

# One key and self-signed certificate for every TLS server of the run (same key, same handshake).
TLS_STORE="$OUT/tls/server.p12"
if [[ " ${SERVERS[*]} " == *-tls\ * ]]; then
  mkdir -p "$OUT/tls"
  "$JDK_BIN/keytool" -genkeypair -alias bench -keyalg EC -groupname secp256r1 -dname CN=localhost \
    -ext SAN=dns:localhost,ip:127.0.0.1 -validity 30 -storetype PKCS12 -keystore "$TLS_STORE" \
    -storepass benchpass -keypass benchpass >/dev/null 2>&1 || die "keytool: TLS key for the TLS servers"
fi

cat >"$OUT/pipeline.lua" <<EOF
-- $DEPTH pipelined GETs per write; wrk counts every response.
init = function(args)
  local r = {}
  for i = 1, $DEPTH do r[i] = wrk.format(nil, "/plaintext") end
  batch = table.concat(r)
end
request = function() return batch end
EOF
cat >"$OUT/upload.lua" <<'EOF'
-- POST /upload with a 1 MiB body; the server answers its length.
wrk.method = "POST"
wrk.body = string.rep("x", 1048576)
wrk.headers["Content-Type"] = "application/octet-stream"
EOF

# ------------------------------------------------------------------ servers

declare -A PIDS_OF PORT LABEL SCHEME
ALL_PIDS=()
cleanup() {
  local p
  for p in "${ALL_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${ALL_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LABEL[saker-core]="Saker core API"
LABEL[netty]="raw Netty codec-http"
LABEL[mvc-saker]="Spring MVC on Saker"
LABEL[mvc-tomcat]="Spring MVC on Tomcat"
LABEL[mvc-jetty]="Spring MVC on Jetty"
LABEL[webflux]="WebFlux on Reactor Netty"
LABEL[webflux-saker]="WebFlux on Saker"
LABEL[nginx]="nginx"
LABEL[mvc-saker-tls]="Spring MVC on Saker, TLS"
LABEL[mvc-tomcat-tls]="Spring MVC on Tomcat, TLS"
LABEL[mvc-saker-h2]="Spring MVC on Saker, h2c"
LABEL[mvc-tomcat-h2]="Spring MVC on Tomcat, h2c"
LABEL[mvc-saker-h2-tls]="Spring MVC on Saker, h2 (TLS)"
LABEL[mvc-tomcat-h2-tls]="Spring MVC on Tomcat, h2 (TLS)"
LABEL[saker-core-baseline]="Saker core API (baseline)"
LABEL[mvc-saker-baseline]="Spring MVC on Saker (baseline)"

is_tls() { [[ $1 == *-tls ]]; }
is_h2() { [[ $1 == *-h2 || $1 == *-h2-tls ]]; }
h2_scenario() { # h2 server -> the HTTP/2 scenario it takes part in
  if is_tls "$1"; then echo h2; else echo h2c; fi
}
listening() { # port [scheme]
  curl -sk -o /dev/null --max-time 1 "${2:-http}://127.0.0.1:$1/plaintext"
}

nginx_conf() { # port -> writes $OUT/nginx/nginx.conf
  local user=""
  [[ $(id -u) == 0 ]] && user="user root;"
  cat >"$OUT/nginx/nginx.conf" <<EOF
$user
worker_processes 1;
worker_rlimit_nofile $(ulimit -n);
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections $((IDLE_CONNS + 2000)); }
http {
  access_log off;
  sendfile on;
  keepalive_timeout 60s;
  keepalive_requests 100000000;
  client_max_body_size 4m;
  client_body_temp_path $OUT/nginx/body;
  proxy_temp_path $OUT/nginx/proxy;
  fastcgi_temp_path $OUT/nginx/fastcgi;
  uwsgi_temp_path $OUT/nginx/uwsgi;
  scgi_temp_path $OUT/nginx/scgi;
  server {
    listen 127.0.0.1:$1 backlog=1024;
    location = /plaintext { default_type text/plain; return 200 "Hello, World!"; }
    location = /json { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
    location = /bytes16k { default_type application/octet-stream; alias $STATIC/bytes16k; }
    # nginx reads and discards the body and answers the declared length.
    location = /upload { default_type text/plain; return 200 \$content_length; }
    location /static/ { default_type application/octet-stream; alias $STATIC/; }
  }
}
EOF
}

start_server() { # name port
  local name=$1 port=$2 pid cmd=() scheme=http app
  is_tls "$name" && scheme=https
  SCHEME[$name]=$scheme
  listening "$port" && die "port $port is already taken (set BASE_PORT)"
  app=$(app_of "$name")
  case $name in
    mvc-*-tls) cmd=("$JAVA" "${JVM_OPTS[@]}" -Dbench.static-dir="$STATIC" -jar "$APPS/$app/target/$app.jar"
      --server.port="$port" --server.ssl.key-store="file:$TLS_STORE" --server.ssl.key-store-type=PKCS12
      --server.ssl.key-store-password=benchpass --server.ssl.key-alias=bench) ;;
    mvc-*-h2) cmd=("$JAVA" "${JVM_OPTS[@]}" -Dbench.static-dir="$STATIC" -jar "$APPS/$app/target/$app.jar"
      --server.port="$port") ;;
    saker-core) cmd=("$JAVA" "${JVM_OPTS[@]}" -Dbench.static-dir="$STATIC" -cp "$JAR" dev.saker.bench.SakerCoreServer "$port" 1) ;;
    saker-core-baseline) cmd=("$JAVA" "${JVM_OPTS[@]}" -Dbench.static-dir="$STATIC" -cp "$BASE_JAR" dev.saker.bench.SakerCoreServer "$port" 1) ;;
    mvc-saker-baseline) cmd=("$JAVA" "${JVM_OPTS[@]}" -Dbench.static-dir="$STATIC" -jar "$BASE_MVC" --server.port="$port") ;;
    netty) cmd=("$JAVA" "${JVM_OPTS[@]}" -Dbench.static-dir="$STATIC" -cp "$JAR" dev.saker.bench.RawNettyServer "$port" 1) ;;
    mvc-*|webflux|webflux-saker) cmd=("$JAVA" "${JVM_OPTS[@]}" -Dbench.static-dir="$STATIC" -jar "$APPS/$name/target/$name.jar" --server.port="$port") ;;
    nginx) nginx_conf "$port"; cmd=("$NGINX" -p "$OUT/nginx" -e "$OUT/nginx/error.log" -c "$OUT/nginx/nginx.conf") ;;
    *) die "unknown server $name" ;;
  esac
  is_h2 "$name" && cmd+=(--server.http2.enabled=true)
  taskset -c "$SERVER_CPU" "${cmd[@]}" >"$OUT/$name.log" 2>&1 &
  pid=$!
  ALL_PIDS+=("$pid")
  PORT[$name]=$port
  for _ in $(seq 600); do
    listening "$port" "$scheme" && break
    kill -0 "$pid" 2>/dev/null || { tail -30 "$OUT/$name.log" >&2; die "$name exited at start-up"; }
    sleep 0.1
  done
  listening "$port" "$scheme" || die "$name did not answer on $port within 60 s"
  if is_h2 "$name"; then
    local probe
    probe=$(timeout 20 h2load -n 1 -c 1 "$scheme://127.0.0.1:$port/plaintext" 2>&1) || true
    grep -Eq '^Application protocol: h2c?$' <<<"$probe" && grep -q ' 1 succeeded' <<<"$probe" \
      || { echo "$probe" >&2; die "$name does not answer GET /plaintext over HTTP/2 (h2load)"; }
  fi
  # nginx: the master and its worker(s); a JVM: one process.
  PIDS_OF[$name]="$pid $( (pgrep -P "$pid" || true) | tr "\n" " ")"
  log "started $name (pids ${PIDS_OF[$name]}) on $port"
}

cpu_ticks() { # pids -> "utime stime" summed, in clock ticks
  local p
  for p in "$@"; do awk '{ sub(/^.*\) /, ""); print $12, $13 }' "/proc/$p/stat"; done \
    | awk '{ u += $1; s += $2 } END { print u, s }'
}

rss_kib() { # pids -> VmRSS summed, KiB
  local p
  for p in "$@"; do awk '/^VmRSS:/ { print $2 }' "/proc/$p/status"; done | awk '{ t += $1 } END { print t + 0 }'
}

# ------------------------------------------------------------------ load

to_us() { # wrk latency ("812.00us", "1.20ms", "1.01s") -> microseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "ms") n *= 1000; else if (u == "s") n *= 1000000; else if (u == "m") n *= 60000000
    printf "%.1f", n }'
}

run_wrk() { # server scenario seconds -> wrk output on stdout
  local name=$1 scenario=$2 seconds=$3 conns=$CONNS path=/plaintext extra=()
  case $scenario in
    plaintext) ;;
    json) path=/json ;;
    bytes16k) path=/bytes16k ;;
    upload) path=/upload; extra=(-s "$OUT/upload.lua") ;;
    pipelined) extra=(-s "$OUT/pipeline.lua") ;;
    conn1000) conns=1000 ;;
    close) extra=(-H "Connection: close") ;;
    static) path=/static/file-1m.bin ;;
    *) die "unknown scenario $scenario" ;;
  esac
  timeout $((seconds + 30)) taskset -c "$LOAD_CPU" wrk -t1 -c"$conns" -d"${seconds}s" --timeout 5s --latency \
    "${extra[@]}" "${SCHEME[$name]}://127.0.0.1:${PORT[$name]}$path"
}

is_h2_scenario() { [[ $1 == h2c || $1 == h2 ]]; }

run_h2load() { # server scenario seconds [log file] -> h2load output on stdout
  local name=$1 scenario=$2 seconds=$3 extra=()
  is_h2_scenario "$scenario" || die "unknown HTTP/2 scenario $scenario"
  [[ -n ${4:-} ]] && extra=(--log-file="$4")
  # A warm-up first lets every connection (and its TLS handshake) start before the timed part:
  # h2load 1.52 does not stop a client whose connection completes after the duration is over, so
  # on a cold server, whose first handshakes are slow, it would go on sending requests for ever.
  [[ -n ${H2_CONNECT_TIME:-} ]] && extra+=(--warm-up-time="$H2_CONNECT_TIME")
  # One client thread, H2_CONNS connections, H2_STREAMS concurrent streams on each; -D: for that many
  # seconds. h2c: prior knowledge (h2load's default for http://); h2: TLS with ALPN h2.
  timeout $((seconds + ${H2_CONNECT_TIME:-0} + 30)) taskset -c "$LOAD_CPU" h2load -t1 -c"$H2_CONNS" -m"$H2_STREAMS" -D"$seconds" "${extra[@]}" \
    "${SCHEME[$name]}://127.0.0.1:${PORT[$name]}/plaintext"
}

run_ws() { # server scenario seconds -> WebSocketEchoClient output on stdout (its stderr in ws-client.log)
  local name=$1 seconds=$3
  [[ $2 == ws ]] || die "unknown WebSocket scenario $2"
  timeout $((seconds + 40)) taskset -c "$LOAD_CPU" "$JAVA" "${CLIENT_OPTS[@]}" -cp "$JAR" dev.saker.bench.WebSocketEchoClient \
    "${PORT[$name]}" /ws/echo "$WS_CONNS" "$WS_DEPTH" "$seconds" "$WS_PAYLOAD" 2>>"$OUT/ws-client.log" \
    || { tail -5 "$OUT/ws-client.log" >&2; log "$name: no WebSocket echo at /ws/echo (is its jar older than the ws scenario? rebuild it)"; return 1; }
}

run_load() { # server scenario seconds -> wrk, h2load or the WebSocket client (warm-up); on failure, says why
  local out="$OUT/warm-up-$1-$2.txt" status=0
  if is_h2_scenario "$2"; then
    # h2load with -D never stops a client whose connection completes after the duration (see
    # run_h2load): a count-based round first lets every connection, and every TLS handshake of a
    # cold server, complete in a run that always ends, before the timed warm-up.
    timeout 120 taskset -c "$LOAD_CPU" h2load -t1 -c"$H2_CONNS" -m"$H2_STREAMS" -n$((H2_CONNS * H2_STREAMS * 4)) \
      "${SCHEME[$1]}://127.0.0.1:${PORT[$1]}/plaintext" >"$out" 2>&1 \
      && H2_CONNECT_TIME=2 run_h2load "$@" >>"$out" 2>&1 || status=$?
  elif [[ $2 == ws ]]; then
    run_ws "$@" >"$out" 2>&1 || status=$?
  else
    run_wrk "$@" >"$out" 2>&1 || status=$?
  fi
  if ((status != 0)); then
    log "warm-up of $1 ($2) exited with $status$( ((status == 124)) && echo ' (timed out)'); its output:"
    tail -20 "$out" >&2
  fi
  return "$status"
}

parse_wrk() { # wrk output -> "requests rps p50_us p99_us errors"
  local out=$1 requests rps p50 p99 non2xx sockerr
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p50=$(to_us "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(to_us "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  # wrk's histogram misreports high percentiles of pipelined runs as 0: record them as missing.
  [[ $p99 == 0.0 ]] && p99=nan
  non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  sockerr=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  echo "${requests:-0} ${rps:-0} $p50 $p99 $(( ${non2xx:-0} + ${sockerr:-0} ))"
}

parse_h2load() { # h2load output, its per-request log -> "requests rps p50_us p99_us errors"
  local out=$1 log=$2 requests rps failed p50 p99
  grep -Eq '^Application protocol: h2c?$' <<<"$out" || return 1
  # "requests: N total, N started, N done, N succeeded, N failed, N errored, N timeout": failed counts the
  # requests answered with a status other than 2xx or 3xx and the errored ones (reset streams, broken
  # connections; timeouts among them).
  requests=$(awk '$1 == "requests:" { print $6 }' <<<"$out")
  failed=$(awk '$1 == "requests:" { print $10 }' <<<"$out")
  rps=$(awk '$1 == "finished" { print $4 }' <<<"$out")
  # h2load prints only min/mean/max latency; the percentiles come from its log (one line per request:
  # start time, status, microseconds to the end of the response).
  read -r p50 p99 < <(cut -f3 "$log" | sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan nan"; exit }
    i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
    printf "%.1f %.1f\n", v[i50], v[i99] }')
  echo "${requests:-0} ${rps:-0} $p50 $p99 ${failed:-0}"
}

parse_ws() { # WebSocketEchoClient output -> "messages rate p50_us p99_us errors"
  awk '{ v[$1] = $2 } END { printf "%s %s %s %s %s\n", v["messages"] + 0, v["messages_per_s"] + 0,
    v["p50_us"] == "" ? "nan" : v["p50_us"], v["p99_us"] == "" ? "nan" : v["p99_us"], v["errors"] == "" ? 1 : v["errors"] }' <<<"$1"
}

measure() { # scenario round server
  local scenario=$1 round=$2 name=$3 pids before after out figures tool=wrk
  is_h2_scenario "$scenario" && tool=h2load
  [[ $scenario == ws ]] && tool=wsecho
  local file="$OUT/$tool-$scenario-$name-$round.txt"
  read -r -a pids <<<"${PIDS_OF[$name]}"
  before=$(cpu_ticks "${pids[@]}")
  if [[ $tool == h2load ]]; then
    out=$(run_h2load "$name" "$scenario" "$DURATION" "${file%.txt}.log") || die "h2load failed: $name $scenario"
  elif [[ $tool == wsecho ]]; then
    out=$(run_ws "$name" "$scenario" "$DURATION") || die "WebSocket client failed: $name $scenario"
  else
    out=$(run_wrk "$name" "$scenario" "$DURATION") || die "wrk failed: $name $scenario"
  fi
  after=$(cpu_ticks "${pids[@]}")
  echo "$out" >"$file"
  if [[ $tool == h2load ]]; then
    figures=$(parse_h2load "$out" "${file%.txt}.log") || die "$name $scenario: h2load did not speak HTTP/2 (see $file)"
  elif [[ $tool == wsecho ]]; then
    figures=$(parse_ws "$out")
  else
    figures=$(parse_wrk "$out")
  fi
  local requests rps p50 p99 errors cpu user rss
  read -r requests rps p50 p99 errors <<<"$figures"
  read -r cpu user < <(awk -v b="$before" -v a="$after" -v hz="$CLK_TCK" -v n="${requests:-0}" 'BEGIN {
    split(b, x, " "); split(a, y, " "); u = y[1] - x[1]; s = y[2] - x[2]
    if (n > 0) printf "%.3f %.3f\n", (u + s) * 1e6 / hz / n, u * 1e6 / hz / n; else print "nan nan" }')
  rss=$(awk -v k="$(rss_kib "${pids[@]}")" 'BEGIN { printf "%.1f", k / 1024 }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$scenario" "$round" "$name" "$rps" "$p50" "$p99" "$cpu" \
    "$rss" "$errors" "$requests" "$user" >>"$RAW"
  log "$scenario #$round $name: $rps req/s, p50 $p50 us, p99 $p99 us, $cpu CPU us/req, errors $errors"
}

round_order() { # round -> the servers in the order to measure them in that round
  local r=$1 i s out=()
  for ((i = 0; i < ${#SERVERS[@]}; i++)); do
    s=${SERVERS[i]}
    # A server and its baseline twin swap places every other round (ABBA): whatever the position in
    # a pair costs (measured at a few per cent on a shared host) then cancels out of the median ratio.
    if ((r % 2 == 0)) && [[ $((i + 1)) -lt ${#SERVERS[@]} && ${SERVERS[i + 1]} == "$s-baseline" ]]; then
      out+=("$s-baseline" "$s")
      i=$((i + 1))
    else
      out+=("$s")
    fi
  done
  echo "${out[@]}"
}

# ------------------------------------------------------------------ idle connections

heap_kib() { # java pid -> KiB used after a full GC (Serial GC: survivors, eden, old)
  "$JDK_BIN/jcmd" "$1" GC.run >/dev/null
  "$JDK_BIN/jstat" -gc "$1" | awk 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i }
    NR == 2 { printf "%.0f\n", $c["S0U"] + $c["S1U"] + $c["EU"] + $c["OU"] }'
}

idle_connections() { # server -> a row of idle.tsv
  local name=$1 pids heap0=nan heap1=nan rss0 rss1 cpid ready=0
  read -r -a pids <<<"${PIDS_OF[$name]}"
  [[ $name != nginx ]] && heap0=$(heap_kib "${pids[0]}")
  rss0=$(rss_kib "${pids[@]}")
  taskset -c "$LOAD_CPU" "$JAVA" -Xss256k -cp "$JAR" dev.saker.bench.IdleConnections "${PORT[$name]}" "$IDLE_CONNS" 120 \
    >"$OUT/idle-$name.txt" 2>&1 &
  cpid=$!
  ALL_PIDS+=("$cpid")
  for _ in $(seq 900); do
    grep -q '^ready' "$OUT/idle-$name.txt" && { ready=1; break; }
    kill -0 "$cpid" 2>/dev/null || break
    sleep 0.1
  done
  ((ready)) || { cat "$OUT/idle-$name.txt" >&2; kill "$cpid" 2>/dev/null; die "$name: $IDLE_CONNS idle connections could not be opened"; }
  sleep 1
  [[ $name != nginx ]] && heap1=$(heap_kib "${pids[0]}")
  rss1=$(rss_kib "${pids[@]}")
  kill "$cpid" 2>/dev/null || true
  wait "$cpid" 2>/dev/null || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$IDLE_CONNS" "$heap0" "$heap1" "$rss0" "$rss1" >>"$OUT/idle.tsv"
  log "idle $name: heap $heap0 -> $heap1 KiB, RSS $rss0 -> $rss1 KiB for $IDLE_CONNS connections"
  sleep 2
}

# ------------------------------------------------------------------ syscalls

strace_batches() { # server -> a row of syscalls.tsv
  local name=$1 file="$OUT/strace-$1.txt" spid args=() p
  for p in ${PIDS_OF[$name]}; do args+=(-p "$p"); done
  # -f with -p attaches every thread of a running (warm) server; -c counts.
  timeout 120 strace -f -c -e trace=write,writev,sendmsg,sendto,sendfile,read,readv,recvfrom -o "$file" "${args[@]}" \
    2>/dev/null &
  spid=$!
  sleep 1
  timeout 60 taskset -c "$LOAD_CPU" "$JAVA" -cp "$JAR" dev.saker.bench.PipelinedBatchClient \
    "${PORT[$name]}" "$BATCHES" "$DEPTH" >"$OUT/batches-$name.txt" || die "$name: pipelined batch client failed"
  sleep 0.5
  kill -INT "$spid" 2>/dev/null || true
  wait "$spid" 2>/dev/null || true
  awk -v n="$name" -v b="$BATCHES" '
    $NF ~ /^(write|writev|sendmsg|sendto|sendfile)$/ { w += $4 }
    $NF ~ /^(read|readv|recvfrom)$/ { r += $4 }
    END { printf "%s\t%.2f\t%.2f\n", n, w / b, r / b }' "$file" >>"$OUT/syscalls.tsv"
  log "strace $name: $(tail -1 "$OUT/syscalls.tsv")"
}

# ------------------------------------------------------------------ start-up

startup_once() { # name jar run -> a row of startup.tsv
  local name=$1 jar=$2 run=$3 port=$((BASE_PORT + 40)) t0 t1 pid ok=0 spring
  listening "$port" && die "port $port is already taken"
  t0=$(date +%s%N)
  taskset -c "$SERVER_CPU" "$JAVA" "${JVM_OPTS[@]}" -jar "$jar" --server.port="$port" >"$OUT/startup-$name-$run.log" 2>&1 &
  pid=$!
  ALL_PIDS+=("$pid")
  for _ in $(seq 6000); do
    if [[ $(taskset -c "$LOAD_CPU" curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/plaintext") == 200 ]]; then
      ok=1; break
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  t1=$(date +%s%N)
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  ((ok)) || { tail -30 "$OUT/startup-$name-$run.log" >&2; die "$name did not answer within 60 s"; }
  spring=$(grep -o 'process running for [0-9.]*' "$OUT/startup-$name-$run.log" | awk '{ print $4 * 1000 }')
  printf '%s\t%s\t%s\t%s\n' "$name" "$run" "$(((t1 - t0) / 1000000))" "${spring:-nan}" >>"$OUT/startup.tsv"
  log "start-up $name #$run: first response after $(((t1 - t0) / 1000000)) ms (Spring: ${spring:-?} ms)"
}

# ------------------------------------------------------------------ run

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "java: $("$JAVA" -version 2>&1 | head -1); servers: ${SERVERS[*]}; scenarios: ${SCENARIOS[*]}"
log "rounds $ROUNDS x ${DURATION}s (warm-up ${WARMUP}s), $CONNS connections, depth $DEPTH, HTTP/2 $H2_CONNS connections x $H2_STREAMS streams, WebSocket $WS_CONNS connections x $WS_DEPTH messages of $WS_PAYLOAD B; load average $LOAD_BEFORE"
meta date "$(date -u '+%Y-%m-%d %H:%M UTC')"
meta mode "$([[ $SMOKE == 1 ]] && echo smoke || echo full)"
meta cpu "$(nproc) x $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
meta memory "$(awk '/MemTotal/ { printf "%d MiB", $2 / 1024 }' /proc/meminfo)"
meta kernel "$(uname -r)"
meta java "$("$JAVA" -version 2>&1 | sed -n 2p)"
meta wrk "$(wrk -v 2>&1 | head -1 | awk '{ print $2 }')"
meta h2load "$(h2load --version 2>&1 | head -1 | awk '{ print $2 }')"
meta nginx "$("$NGINX" -v 2>&1 | sed 's/.*: //')"
meta strace "$(strace -V | head -1)"
meta load_before "$LOAD_BEFORE"
meta rounds "$ROUNDS"; meta duration "$DURATION"; meta warmup "$WARMUP"; meta conns "$CONNS"; meta depth "$DEPTH"
meta h2_conns "$H2_CONNS"; meta h2_streams "$H2_STREAMS"
meta ws_conns "$WS_CONNS"; meta ws_depth "$WS_DEPTH"; meta ws_payload "$WS_PAYLOAD"
meta batches "$BATCHES"; meta idle_conns "$IDLE_CONNS"; meta startup_runs "$STARTUP_RUNS"
meta jvm_opts "${JVM_OPTS[*]}"
meta servers "${SERVERS[*]}"; meta scenarios "${SCENARIOS[*]}"
if [[ -n ${BASELINE:-} ]]; then
  meta baseline "$BASE_SHA"
  meta new "the working tree at $(git -C "$ROOT" rev-parse --short=7 HEAD)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes')"
fi

if ((JMH)); then
  log "JMH: engine allocation per request (-prof gc)"
  timeout 900 taskset -c "$SERVER_CPU" "$JAVA" -jar "$JAR" 'EngineBenchmark|EmbeddedBaselineBenchmark|RawNettyBenchmark' \
    -prof gc -f 1 -wi 3 -w 2 -i 5 -r 2 -rf csv -rff "$OUT/jmh.csv" >"$OUT/jmh.txt" 2>&1 || die "JMH (see $OUT/jmh.txt)"
fi

i=0
for name in "${SERVERS[@]}"; do
  start_server "$name" $((BASE_PORT + i))
  i=$((i + 1))
done

if ((INITIAL_WARMUP > 0)); then
  for name in "${SERVERS[@]}"; do
    # The h2 servers warm up on the HTTP/2 path they are measured on.
    warm=plaintext
    is_h2 "$name" && warm=$(h2_scenario "$name")
    run_load "$name" "$warm" "$INITIAL_WARMUP" || die "warm-up failed: $name"
  done
fi
meta initial_warmup "$INITIAL_WARMUP"
meta tls_scenarios "$TLS_SCENARIOS"
takes_part() { # server scenario: h2 servers run their HTTP/2 scenario only (and no one else does),
  # the other TLS servers only TLS_SCENARIOS, ws only the WS_SERVERS
  if [[ $2 == ws ]]; then
    [[ $WS_SERVERS == *" $1 "* ]]
  elif is_h2 "$1" || is_h2_scenario "$2"; then
    is_h2 "$1" && [[ $2 == $(h2_scenario "$1") ]]
  else
    ! is_tls "$1" || [[ $TLS_SCENARIOS == *" $2 "* ]]
  fi
}
for scenario in "${SCENARIOS[@]}"; do
  for name in "${SERVERS[@]}"; do
    takes_part "$name" "$scenario" || continue
    run_load "$name" "$scenario" "$WARMUP" || die "warm-up failed: $name $scenario"
  done
  for round in $(seq "$ROUNDS"); do
    for name in $(round_order "$round"); do
      if takes_part "$name" "$scenario"; then measure "$scenario" "$round" "$name"; fi
    done
  done
done

# The syscall and idle-connection clients speak cleartext HTTP/1.1 only (over which an h2c server is its
# HTTP/1.1 twin again).
if ((BATCHES > 0)); then
  : >"$OUT/syscalls.tsv"
  for name in "${SERVERS[@]}"; do is_tls "$name" || is_h2 "$name" || strace_batches "$name"; done
fi
if ((IDLE_CONNS > 0)); then
  : >"$OUT/idle.tsv"
  for name in "${SERVERS[@]}"; do is_tls "$name" || is_h2 "$name" || idle_connections "$name"; done
fi

cleanup
ALL_PIDS=()
if ((${INPROCESS:-1})) && [[ " ${SERVERS[*]} " == *" webflux "* ]]; then
  log "WebFlux in process: the application's HttpHandler with no server"
  timeout $((INPROCESS_WARMUP * 2 + 300)) taskset -c "$SERVER_CPU" "$JAVA" "${JVM_OPTS[@]}" -cp "$APPS/webflux/target/webflux.jar" \
    -Dloader.main=dev.saker.bench.app.reactive.InProcessHandlerCost -Dbench.static-dir="$STATIC" \
    org.springframework.boot.loader.launch.PropertiesLauncher "$INPROCESS_WARMUP" "${INPROCESS_ROUNDS:-$ROUNDS}" \
    "$INPROCESS_CALLS" >"$OUT/inprocess.txt" 2>&1 || { tail -30 "$OUT/inprocess.txt" >&2; die "WebFlux in process"; }
  awk '$1 == "inprocess" { print $2 "\t" $3 "\t" $4 }' "$OUT/inprocess.txt" >"$OUT/inprocess.tsv"
  [[ $(wc -l <"$OUT/inprocess.tsv") == 2 ]] || { cat "$OUT/inprocess.txt" >&2; die "WebFlux in process printed no figures"; }
fi
if ((STARTUP_RUNS > 0)); then
  : >"$OUT/startup.tsv"
  for run in $(seq "$STARTUP_RUNS"); do
    startup_once sample-saker "$SAMPLE_JAR" "$run"
    startup_once sample-tomcat "$APPS/sample-tomcat/target/sample-tomcat.jar" "$run"
  done
fi
meta load_after "$(cut -d' ' -f1-3 /proc/loadavg)"

report_args=(--out "$OUT")
[[ -n $DOCS ]] && report_args+=(--docs "$DOCS")
"$PY" "$HERE/report.py" "${report_args[@]}" || die "report"
log "raw figures in $OUT; report $OUT/results.md${DOCS:+ and $DOCS}"
