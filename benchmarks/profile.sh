#!/usr/bin/env bash
# Profiles one benchmark server under wrk load with JDK Flight Recorder and prints its hottest
# methods and where its Java time goes by layer (jfr_layers.py), and the CPU it used per request.
#
#   benchmarks/profile.sh SERVER [SCENARIO_PATH] [SECONDS]
#
# SERVER: saker-core, netty, mvc-saker, mvc-tomcat, mvc-jetty, webflux or webflux-saker (jars built by bench.sh), or
# mvc-saker-tls / mvc-tomcat-tls (the same app over HTTPS with a P-256 key made here, as in bench.sh),
# mvc-saker-h2 / mvc-tomcat-h2 (the app with server.http2.enabled, loaded over h2c by h2load with 16
# connections x 32 streams, as bench.sh's h2c scenario);
# SCENARIO_PATH: default /plaintext; /ws/echo loads an mvc-* server with the WebSocket echo client of bench.sh's
# ws scenario instead (64 connections x 16 messages of 16 B; "requests" are then messages);
# SECONDS: recorded load (default 20, after 20 s of warm-up).
# The server runs on CPU 0, wrk (64 connections) on CPU 1, loopback only; the server is killed on exit.
# Output: benchmarks/target/profile/SERVER.jfr and SERVER-hot.txt. Not part of bench.sh.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
NAME=${1:?usage: $0 SERVER [PATH] [SECONDS]}
URL_PATH=${2:-/plaintext}
SECONDS_LOAD=${3:-20}
PORT=${PORT:-18190}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JDK_BIN=$(dirname "$(readlink -f "$JAVA")")
OUT="$HERE/target/profile"
mkdir -p "$OUT"
JFR="$OUT/$NAME.jfr"
OPTS=(-Xms512m -Xmx512m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED)
SCHEME=http
case $NAME in
  mvc-*-tls)
    SCHEME=https
    APP=${NAME%-tls}
    rm -f "$OUT/tls.p12"
    "$JDK_BIN/keytool" -genkeypair -alias bench -keyalg EC -groupname secp256r1 -dname CN=localhost \
      -validity 30 -storetype PKCS12 -keystore "$OUT/tls.p12" -storepass benchpass -keypass benchpass >/dev/null 2>&1
    CMD=("$JAVA" "${OPTS[@]}" -jar "$HERE/apps/$APP/target/$APP.jar" --server.port="$PORT"
      --server.ssl.key-store="file:$OUT/tls.p12" --server.ssl.key-store-type=PKCS12
      --server.ssl.key-store-password=benchpass --server.ssl.key-alias=bench) ;;
  mvc-*-h2)
    APP=${NAME%-h2}
    CMD=("$JAVA" "${OPTS[@]}" -jar "$HERE/apps/$APP/target/$APP.jar" --server.port="$PORT" --server.http2.enabled=true) ;;
  saker-core) CMD=("$JAVA" "${OPTS[@]}" -cp "$HERE/target/benchmarks.jar" dev.saker.bench.SakerCoreServer "$PORT" 1) ;;
  netty) CMD=("$JAVA" "${OPTS[@]}" -cp "$HERE/target/benchmarks.jar" dev.saker.bench.RawNettyServer "$PORT" 1) ;;
  mvc-*|webflux|webflux-saker) CMD=("$JAVA" "${OPTS[@]}" -jar "$HERE/apps/$NAME/target/$NAME.jar" --server.port="$PORT") ;;
  *) echo "unknown server $NAME" >&2; exit 2 ;;
esac

taskset -c 0 "${CMD[@]}" >"$OUT/$NAME.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  curl -sk -o /dev/null --max-time 1 "$SCHEME://127.0.0.1:$PORT$URL_PATH" && break
  sleep 0.1
done
load() { # seconds -> the load tool's output; prints the request count last
  if [[ $URL_PATH == /ws/* ]]; then
    out=$(timeout $(($1 + 40)) taskset -c 1 "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$HERE/target/benchmarks.jar" \
      dev.saker.bench.WebSocketEchoClient "$PORT" "$URL_PATH" 64 16 "$1" 16 2>/dev/null)
    awk '$1 == "messages" { print $2 }' <<<"$out"
  elif [[ $NAME == *-h2 ]]; then
    out=$(timeout $(($1 + 30)) taskset -c 1 h2load -t1 -c16 -m32 -D"$1" "$SCHEME://127.0.0.1:$PORT$URL_PATH")
    grep -q '^Application protocol: h2c$' <<<"$out" || { echo "$out" >&2; exit 1; }
    awk '/^requests:/ { print $8 }' <<<"$out"
  else
    out=$(timeout $(($1 + 30)) taskset -c 1 wrk -t1 -c64 -d"$1s" "$SCHEME://127.0.0.1:$PORT$URL_PATH")
    awk '/requests in/ { print $1 }' <<<"$out"
  fi
}
load 20 >/dev/null
# Record only the measured window, after the warm-up.
"$JDK_BIN/jcmd" "$PID" JFR.start name=bench settings=profile >/dev/null
before=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$PID/stat")
requests=$(load "$SECONDS_LOAD")
after=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$PID/stat")
"$JDK_BIN/jcmd" "$PID" JFR.stop name=bench filename="$JFR" >/dev/null
{
  echo "$NAME $URL_PATH: $requests requests in ${SECONDS_LOAD}s, CPU us/request (with JFR on):" \
    "$(awk -v a="$after" -v b="$before" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (a - b) * 1e6 / hz / n }')"
  python3 "$HERE/jfr_layers.py" "$JDK_BIN/jfr" "$JFR" 25
} | tee "$OUT/$NAME-hot.txt"
