#!/usr/bin/env bash
# Rolling restart behind nginx: does a fleet of instances lose requests when each one is restarted
# with SIGTERM while load runs? (issue 14, "Many instances")
#
# nginx on 127.0.0.1 balances over INSTANCES packaged sample apps (round robin, upstream keep-alive
# connections, HTTP/1.1). wrk drives POST /echo (non-idempotent: nginx never retries it on another
# instance once it has sent it, so every request a server cuts is a failure the client sees) for
# DURATION seconds, while the script restarts the instances one after the other ROUNDS times: SIGTERM,
# wait for the exit, start again, wait for /actuator/health to say UP, settle, next. At the end it
# counts what wrk saw fail: non-2xx answers (nginx's 502 when an upstream cut a request) and socket
# errors. The goal for Saker is zero.
#
#   benchmarks/rolling-restart.sh                 # Saker, then the same app on Tomcat
#   SERVERS=saker DURATION=60 benchmarks/rolling-restart.sh
#
# Environment: SERVERS ("saker tomcat"), INSTANCES (2), ROUNDS (2), DURATION (load seconds, 60; must
# leave room for the restarts), CONNECTIONS (wrk connections, 32), BASE_PORT (18080: nginx; the
# instances use the ports after it), SAKER_JAR / TOMCAT_JAR (built when missing), OUT (a temp dir),
# APP_ARGS (more arguments for every instance, e.g. --logging.level.dev.saker.server.transport=DEBUG),
# UPSTREAM_KEEPALIVE (nginx's idle upstream connections per worker, 64; a small value makes nginx open
# and close upstream connections all the time, which stresses how a stopping listener treats new ones).
# Needs nginx, wrk and curl (installed from Debian when missing) and Java 17+. Loopback only; every
# wait is bounded; everything started here is stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SERVERS=${SERVERS:-saker tomcat}
INSTANCES=${INSTANCES:-2}
ROUNDS=${ROUNDS:-2}
DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-32}
BASE_PORT=${BASE_PORT:-18080}
SAKER_JAR=${SAKER_JAR:-$ROOT/sample-app/target/saker-sample-app.jar}
TOMCAT_JAR=${TOMCAT_JAR:-$ROOT/benchmarks/apps/sample-tomcat/target/sample-tomcat.jar}
OUT=${OUT:-$(mktemp -d /tmp/rolling-restart.XXXXXX)}
JAVA=${JAVA:-java}

log() { echo "[rolling] $*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ------------------------------------------------------------------ prerequisites

if [[ $(id -u) == 0 ]]; then SUDO=(); else SUDO=(sudo); fi
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
if ((${#missing[@]})); then
  log "installing ${missing[*]} (Debian packages)"
  "${SUDO[@]}" apt-get update -qq || die "apt-get update"
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >"$OUT/apt.log" 2>&1 || { tail -20 "$OUT/apt.log" >&2; die "apt-get install ${missing[*]}"; }
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in wrk curl "$NGINX" "$JAVA"; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
build=()
[[ $SERVERS == *saker* && ! -f $SAKER_JAR ]] && build+=(sample-app)
[[ $SERVERS == *tomcat* && ! -f $TOMCAT_JAR ]] && build+=(benchmarks/apps/sample-tomcat)
if ((${#build[@]})); then
  log "building ${build[*]}"
  (cd "$ROOT" && ./mvnw -q -B -pl "$(IFS=,; echo "${build[*]}")" -am package -DskipTests) >"$OUT/build.log" 2>&1 \
    || { tail -30 "$OUT/build.log" >&2; die "build"; }
fi
((DURATION >= 20)) || die "DURATION must be at least 20 s"

# ------------------------------------------------------------------ processes

declare -A PID=()      # instance index -> its JVM's pid
NGINX_PID=
WRK_PID=

cleanup() {
  local p
  [[ -n $WRK_PID ]] && kill "$WRK_PID" 2>/dev/null || true
  for p in "${PID[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  if [[ -n $NGINX_PID ]]; then kill -QUIT "$NGINX_PID" 2>/dev/null || true; fi
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

instance_port() { echo $((BASE_PORT + 1 + $1)); }

start_instance() { # server index
  local jar=$SAKER_JAR
  [[ $1 == tomcat ]] && jar=$TOMCAT_JAR
  "$JAVA" -Xms128m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" \
    --server.address=127.0.0.1 --server.port="$(instance_port "$2")" \
    --spring.lifecycle.timeout-per-shutdown-phase=20s --logging.level.root=WARN ${APP_ARGS:-} \
    >>"$OUT/$1-$2.log" 2>&1 &
  PID[$2]=$!
}

await_healthy() { # index -> 0 once /actuator/health says UP (bounded: 90 s)
  local url="http://127.0.0.1:$(instance_port "$1")/actuator/health" end=$((SECONDS + 90))
  while ((SECONDS < end)); do
    curl -fsS --max-time 2 "$url" 2>/dev/null | grep -q '"UP"' && return 0
    kill -0 "${PID[$1]}" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

stop_instance() { # index: SIGTERM, then wait for the exit (bounded: 40 s, then SIGKILL and fail)
  local pid=${PID[$1]} end=$((SECONDS + 40))
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"
    die "instance $1 did not exit within 40 s of SIGTERM"
  fi
  wait "$pid" 2>/dev/null || true
}

write_nginx_conf() {
  mkdir -p "$OUT/nginx"
  {
    echo "worker_processes 1;"
    echo "daemon off;"
    echo "pid $OUT/nginx/nginx.pid;"
    echo "error_log $OUT/nginx/error.log warn;"
    echo "events { worker_connections 4096; }"
    echo "http {"
    echo "  access_log off;"
    echo "  client_body_temp_path $OUT/nginx/body;"
    for d in proxy fastcgi uwsgi scgi; do echo "  ${d}_temp_path $OUT/nginx/$d;"; done
    echo "  upstream app {"
    # max_fails=0: a refused connection (an instance restarting) sends that request to the next
    # instance but never marks this one down; with the default (1 failure: down for 10 s) restarting
    # the next instance within 10 s leaves no live upstream and nginx answers 502 itself.
    for ((i = 0; i < INSTANCES; i++)); do echo "    server 127.0.0.1:$(instance_port $i) max_fails=0;"; done
    # Kept-alive upstream connections: the case a server's drain must get right.
    echo "    keepalive ${UPSTREAM_KEEPALIVE:-64};"
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$BASE_PORT;"
    echo "    location / {"
    echo "      proxy_pass http://app;"
    echo "      proxy_http_version 1.1;"
    echo "      proxy_set_header Connection \"\";"
    # The default proxy_next_upstream (error timeout) moves a request to the next instance only when it
    # could not be sent (a refused connection); a POST already sent is never retried
    # (non_idempotent is not set), so a request an instance cuts reaches the client as a 502.
    echo "      proxy_next_upstream error timeout;"
    echo "    }"
    echo "  }"
    echo "}"
  } >"$OUT/nginx/nginx.conf"
}

write_wrk_script() {
  cat >"$OUT/post.lua" <<'EOF'
-- POST /echo with a small JSON body: a non-idempotent request nginx does not retry.
wrk.method = "POST"
wrk.path = "/echo"
wrk.body = '{"order":42,"item":"rolling-restart"}'
wrk.headers["Content-Type"] = "application/json"

-- Statuses other than 2xx, counted per thread and summed at the end (for the report).
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) failed = {} end
function response(status, headers, body)
  if status < 200 or status > 299 then failed[status] = (failed[status] or 0) + 1 end
end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("failed")) do total[status] = (total[status] or 0) + n end
  end
  for status, n in pairs(total) do io.write(string.format("status %d: %d\n", status, n)) end
end
EOF
}

# ------------------------------------------------------------------ one run

run() { # server -> appends "server requests non2xx socket_errors restarts" to RESULTS (not in a subshell:
  # the exit trap must see the processes it started)
  local server=$1 i round out requests non2xx sockerr
  log "$server: starting $INSTANCES instances"
  for ((i = 0; i < INSTANCES; i++)); do start_instance "$server" "$i"; done
  for ((i = 0; i < INSTANCES; i++)); do await_healthy "$i" || die "$server instance $i did not become healthy"; done
  : >"$OUT/nginx/error.log"
  "$NGINX" -p "$OUT/nginx" -e "$OUT/nginx/error.log" -c "$OUT/nginx/nginx.conf" &
  NGINX_PID=$!
  local end=$((SECONDS + 10))
  until curl -fsS --max-time 2 -o /dev/null -X POST -d x "http://127.0.0.1:$BASE_PORT/echo"; do
    ((SECONDS < end)) || die "nginx did not answer"
    sleep 0.2
  done

  log "$server: wrk POST for ${DURATION}s on $CONNECTIONS connections; $ROUNDS round(s) of SIGTERM restarts"
  timeout $((DURATION + 30)) wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s -s "$OUT/post.lua" \
    "http://127.0.0.1:$BASE_PORT/echo" >"$OUT/$server-wrk.txt" 2>&1 &
  WRK_PID=$!
  local load_end=$((SECONDS + DURATION)) restarts=0
  sleep 5
  for ((round = 0; round < ROUNDS; round++)); do
    for ((i = 0; i < INSTANCES; i++)); do
      ((SECONDS + 15 < load_end)) || { log "$server: load ends soon, no more restarts"; break 2; }
      log "$server: SIGTERM instance $i (round $((round + 1)))"
      stop_instance "$i"
      start_instance "$server" "$i"
      await_healthy "$i" || die "$server instance $i did not come back"
      restarts=$((restarts + 1))
      sleep 3
    done
  done
  wait "$WRK_PID" || die "wrk failed: $(cat "$OUT/$server-wrk.txt")"
  WRK_PID=
  out=$(cat "$OUT/$server-wrk.txt")
  requests=$(awk '/requests in/ { print $1 }' <<<"$out")
  non2xx=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  sockerr=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  cp "$OUT/nginx/error.log" "$OUT/$server-nginx-error.log"
  # What nginx says about each failed request, by kind (refused connects were retried elsewhere).
  sed 's/^.*\] [0-9#]*: \*[0-9]* //; s/, client:.*//' "$OUT/$server-nginx-error.log" | sort | uniq -c | sort -rn \
    | sed "s/^/[rolling] $server: nginx: /" >&2
  grep '^status ' "$OUT/$server-wrk.txt" | sed "s/^/[rolling] $server: wrk: /" >&2 || true
  kill -QUIT "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=
  for ((i = 0; i < INSTANCES; i++)); do stop_instance "$i"; done
  PID=()
  RESULTS+=("$server ${requests:-0} ${non2xx:-0} ${sockerr:-0} $restarts")
}

write_nginx_conf
write_wrk_script
RESULTS=()
for server in $SERVERS; do
  [[ $server == saker || $server == tomcat ]] || die "unknown server $server (saker or tomcat)"
  run "$server"
done
echo
printf '%-8s %12s %10s %14s %9s\n' server requests non-2xx socket-errors restarts
for r in "${RESULTS[@]}"; do
  # shellcheck disable=SC2086
  printf '%-8s %12s %10s %14s %9s\n' $r
done
echo "(logs and wrk output in $OUT)"
