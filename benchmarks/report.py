#!/usr/bin/env python3
"""Turns the raw figures bench.sh wrote into a Markdown report and PNG charts.

Usage: report.py --out DIR [--docs docs/benchmarks.md]

Reads DIR/raw.tsv (one row per wrk round), DIR/meta.tsv and, when present, syscalls.tsv, idle.tsv,
startup.tsv, inprocess.tsv and jmh.csv. Writes DIR/results.md and DIR/benchmarks-{cpu,rps}.png; with --docs also
puts the same report between the '<!-- bench:begin -->' and '<!-- bench:end -->' lines of that
file (appended when the markers are missing) and the charts beside it.
"""
import argparse
import csv
import os
import shutil
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LABELS = {
    "saker-core": "Saker core API",
    "netty": "raw Netty codec-http",
    "mvc-saker": "Spring MVC on Saker",
    "mvc-tomcat": "Spring MVC on Tomcat",
    "mvc-jetty": "Spring MVC on Jetty",
    "webflux": "WebFlux on Reactor Netty",
    "webflux-saker": "WebFlux on Saker",
    "nginx": "nginx",
    "mvc-saker-tls": "Spring MVC on Saker, TLS",
    "mvc-tomcat-tls": "Spring MVC on Tomcat, TLS",
    "mvc-saker-h2": "Spring MVC on Saker, h2c",
    "mvc-tomcat-h2": "Spring MVC on Tomcat, h2c",
    "mvc-saker-h2-tls": "Spring MVC on Saker, h2 (TLS)",
    "mvc-tomcat-h2-tls": "Spring MVC on Tomcat, h2 (TLS)",
    "sample-saker": "sample app on Saker",
    "sample-tomcat": "sample app on Tomcat",
}
SCENARIOS = {
    "plaintext": "plaintext (13 B), 64 keep-alive connections",
    "json": "JSON (Jackson), 64 connections",
    "bytes16k": "16 KiB response, 64 connections",
    "upload": "1 MiB upload answered with its length, 64 connections",
    "pipelined": "pipelined plaintext, depth 16, 64 connections",
    "conn1000": "plaintext, 1 000 keep-alive connections",
    "close": "plaintext, new connection per request (Connection: close), 64 connections",
    "static": "static 1 MiB file, 64 connections",
    "h2c": "plaintext over cleartext HTTP/2 (h2c, prior knowledge), h2load: {h2_conns} connections x {h2_streams} streams",
    "h2": "plaintext over HTTP/2 on TLS (ALPN h2), h2load: {h2_conns} connections x {h2_streams} streams",
    "ws": "WebSocket echo (Spring TextWebSocketHandler), {ws_conns} connections x {ws_depth} text messages of "
          "{ws_payload} B in flight; a request is one message echoed",
}
H2_SCENARIOS = ("h2c", "h2")
BASELINE = "mvc-tomcat"
TLS_BASELINE = "mvc-tomcat-tls"
H2C_BASELINE = "mvc-tomcat-h2"
H2_TLS_BASELINE = "mvc-tomcat-h2-tls"
# Issue #16: the same WebFlux application on Saker against Reactor Netty.
WEBFLUX_SAKER, WEBFLUX_NETTY = "webflux-saker", "webflux"


def peer(server):
    """Each server compares with Tomcat speaking the same protocol: HTTP/1.1, over TLS, h2c, h2 on TLS."""
    if server.endswith("-h2-tls"):
        return H2_TLS_BASELINE
    if server.endswith("-h2"):
        return H2C_BASELINE
    return TLS_BASELINE if server.endswith("-tls") else BASELINE


def scenario_title(scenario, meta):
    """The scenario's description; the HTTP/2 ones name the run's h2load connections and streams."""
    return SCENARIOS.get(scenario, scenario).format(h2_conns=meta.get("h2_conns", "?"),
                                                    h2_streams=meta.get("h2_streams", "?"),
                                                    ws_conns=meta.get("ws_conns", "?"),
                                                    ws_depth=meta.get("ws_depth", "?"),
                                                    ws_payload=meta.get("ws_payload", "?"))
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


TWIN = "-baseline"


def label(server):
    """The display name; a BASELINE twin is its server's name marked as the baseline build."""
    if server.endswith(TWIN):
        base = server[:-len(TWIN)]
        return f"{LABELS.get(base, base)} (baseline)"
    return LABELS.get(server, server)


def num(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return None if value != value else value  # NaN -> None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}".replace(",", " ")


def read_tsv(path, header=True):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        if header:
            return list(csv.DictReader(f, delimiter="\t"))
        return [row for row in csv.reader(f, delimiter="\t") if row]


class Load:
    """The wrk rounds: medians per scenario and server, ratios per round against a peer."""

    def __init__(self, rows):
        self.rows = rows
        self.scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
        self.servers = list(dict.fromkeys(r["server"] for r in rows))

    def cells(self, scenario, server, column):
        return [num(r[column]) for r in self.rows if r["scenario"] == scenario and r["server"] == server]

    def median(self, scenario, server, column):
        return median(self.cells(scenario, server, column))

    def errors(self, scenario, server):
        return int(sum(num(r["errors"]) or 0 for r in self.rows if r["scenario"] == scenario and r["server"] == server))

    def per_round(self, scenario, server, peer, column):
        """server/peer for each round both were measured in, in round order."""
        mine = {r["round"]: num(r[column]) for r in self.rows if r["scenario"] == scenario and r["server"] == server}
        theirs = {r["round"]: num(r[column]) for r in self.rows if r["scenario"] == scenario and r["server"] == peer}
        return [mine[k] / theirs[k] for k in mine if k in theirs and mine[k] is not None and theirs[k]]

    def ratio(self, scenario, server, peer, column):
        """Median over rounds of server/peer: neighbouring measurements, so host drift cancels out."""
        return median(self.per_round(scenario, server, peer, column))


def baseline_table(load, meta, out):
    """New against baseline for each server measured beside its BASELINE twin: per-round ratios."""
    pairs = [s for s in load.servers if not s.endswith(TWIN) and s + TWIN in load.servers]
    if not pairs:
        return
    out += ["### Against the baseline", "",
            f"Baseline: commit {meta.get('baseline', '?')}; new: {meta.get('new', '?')}. "
            "Per round, the server's figure divided by its baseline twin's, measured next to it in the same "
            "round; the median of those ratios, its spread (lowest to highest) and every round. CPU: lower "
            "is better; req/s: higher is better.", "",
            "| scenario | server | CPU µs/req new | baseline | CPU new/baseline | spread | per round "
            "| req/s new/baseline | per round |",
            "| --- | --- | ---: | ---: | ---: | --- | --- | ---: | --- |"]
    for scenario in load.scenarios:
        for server in pairs:
            cpu = load.per_round(scenario, server, server + TWIN, "cpu_us_per_req")
            rps = load.per_round(scenario, server, server + TWIN, "rps")
            spread = f"{fmt(min(cpu), 2)} – {fmt(max(cpu), 2)}" if cpu else "n/a"
            out.append(f"| {scenario} | {label(server)} | {fmt(load.median(scenario, server, 'cpu_us_per_req'), 2)} "
                       f"| {fmt(load.median(scenario, server + TWIN, 'cpu_us_per_req'), 2)} "
                       f"| {fmt(median(cpu), 3)} | {spread} | {', '.join(fmt(r, 3) for r in cpu)} "
                       f"| {fmt(median(rps), 3)} | {', '.join(fmt(r, 3) for r in rps)} |")
    out.append("")


def webflux_table(load, out):
    """WebFlux on Saker against WebFlux on Reactor Netty (issue #16): per-round CPU and req/s ratios."""
    if WEBFLUX_SAKER not in load.servers or WEBFLUX_NETTY not in load.servers:
        return
    out += ["### WebFlux: Saker against Reactor Netty", "",
            "The same WebFlux application (same controllers, same Spring and Jackson) on Saker's reactive server "
            "and on Reactor Netty. Per round, Saker's figure divided by Reactor Netty's measured in the same round; "
            "the median of those ratios, its spread and every round. CPU: lower is better (bar ≤ 0.60 for "
            "plaintext and JSON); req/s: higher is better.", "",
            "| scenario | CPU µs/req Saker | Reactor Netty | CPU Saker/Reactor Netty | spread | per round "
            "| req/s Saker | Reactor Netty | req/s Saker/Reactor Netty | per round |",
            "| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |"]
    for scenario in load.scenarios:
        cpu = load.per_round(scenario, WEBFLUX_SAKER, WEBFLUX_NETTY, "cpu_us_per_req")
        rps = load.per_round(scenario, WEBFLUX_SAKER, WEBFLUX_NETTY, "rps")
        if not cpu:
            continue
        out.append(f"| {scenario} | {fmt(load.median(scenario, WEBFLUX_SAKER, 'cpu_us_per_req'), 2)} "
                   f"| {fmt(load.median(scenario, WEBFLUX_NETTY, 'cpu_us_per_req'), 2)} "
                   f"| {fmt(median(cpu), 3)} | {fmt(min(cpu), 2)} – {fmt(max(cpu), 2)} "
                   f"| {', '.join(fmt(r, 3) for r in cpu)} "
                   f"| {fmt(load.median(scenario, WEBFLUX_SAKER, 'rps'))} | {fmt(load.median(scenario, WEBFLUX_NETTY, 'rps'))} "
                   f"| {fmt(median(rps), 3)} | {', '.join(fmt(r, 3) for r in rps)} |")
    out.append("")


def webflux_floor_table(load, inprocess, out):
    """Spring WebFlux's own cost in process plus a server's floor, against Reactor Netty (issue #16)."""
    spring = {row[0]: num(row[1]) for row in inprocess}
    paths = (("plaintext", "/plaintext"), ("json", "/json"))
    if WEBFLUX_NETTY not in load.servers or not any(spring.get(path) for _, path in paths):
        return
    out += ["### WebFlux: the floor under any server", "",
            "Spring WebFlux's own CPU per request (*Spring in process*: the application's `HttpHandler` called in a "
            "loop with no server, the URI and headers made once, nothing written, GC not counted: a lower bound) "
            "added to what the leanest servers spend per request on the same load in this run (raw Netty "
            "`codec-http` answering fixed bytes; nginx). No WebFlux server can cost less than Spring plus a "
            "server, so *floor / Reactor Netty* is the best ratio a server built like that could reach, and "
            "*Saker / floor* is what Saker spends beyond it.", "",
            "| scenario | Spring in process (µs) | Reactor Netty (µs) | Saker (µs) | raw Netty (µs) "
            "| raw Netty + Spring / Reactor Netty | nginx (µs) | nginx + Spring / Reactor Netty "
            "| Saker / (raw Netty + Spring) |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for scenario, path in paths:
        cost = spring.get(path)
        reactor = load.median(scenario, WEBFLUX_NETTY, "cpu_us_per_req")
        if cost is None or reactor is None:
            continue
        saker = load.median(scenario, WEBFLUX_SAKER, "cpu_us_per_req")
        netty = load.median(scenario, "netty", "cpu_us_per_req")
        nginx = load.median(scenario, "nginx", "cpu_us_per_req")
        netty_floor = netty + cost if netty is not None else None
        nginx_floor = nginx + cost if nginx is not None else None
        out.append(f"| {scenario} | {fmt(cost, 2)} | {fmt(reactor, 2)} | {fmt(saker, 2)} | {fmt(netty, 2)} "
                   f"| {fmt(netty_floor and netty_floor / reactor, 3)} | {fmt(nginx, 2)} "
                   f"| {fmt(nginx_floor and nginx_floor / reactor, 3)} "
                   f"| {fmt(saker / netty_floor if saker is not None and netty_floor else None, 3)} |")
    out.append("")


def load_tables(load, meta, out):
    out.append("Medians over the rounds; *vs Tomcat* is the median of the per-round ratios against Spring MVC "
               "on Tomcat speaking the same protocol (over TLS for the TLS servers, over h2c or h2 for the HTTP/2 "
               "servers; CPU: lower is better, req/s: higher is better). Errors are non-2xx answers plus "
               "socket errors (wrk), or failed requests (h2load: a status other than 2xx or 3xx, reset streams, broken "
               "connections), summed over the rounds; for the WebSocket echo, connections that failed plus "
               "messages echoed wrong or never. The HTTP/2 latencies are percentiles of h2load's "
               "per-request log; the WebSocket ones are the client's, send to echo.")
    for scenario in load.scenarios:
        out += ["", f"#### {scenario_title(scenario, meta)}", "",
                "| server | req/s | req/s vs Tomcat | p50 (µs) | p99 (µs) | CPU µs/req | CPU vs Tomcat | RSS (MiB) | errors |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for server in load.servers:
            if not load.cells(scenario, server, "rps"):
                continue  # TLS servers take part in a few scenarios only
            cpu_ratio = load.ratio(scenario, server, peer(server), "cpu_us_per_req")
            rps_ratio = load.ratio(scenario, server, peer(server), "rps")
            out.append(f"| {label(server)} | {fmt(load.median(scenario, server, 'rps'))} "
                       f"| {fmt(rps_ratio, 2)} | {fmt(load.median(scenario, server, 'p50_us'))} "
                       f"| {fmt(load.median(scenario, server, 'p99_us'))} "
                       f"| {fmt(load.median(scenario, server, 'cpu_us_per_req'), 2)} | {fmt(cpu_ratio, 2)} "
                       f"| {fmt(load.median(scenario, server, 'rss_mib'), 1)} | {load.errors(scenario, server)} |")


def summary_table(load, out):
    out += ["| scenario | " + " | ".join(label(s) for s in load.servers) + " |",
            "| --- |" + " ---: |" * len(load.servers)]
    for scenario in load.scenarios:
        cells = []
        for server in load.servers:
            cpu = load.median(scenario, server, "cpu_us_per_req")
            ratio = load.ratio(scenario, server, peer(server), "cpu_us_per_req")
            cells.append(f"{fmt(cpu, 2)} ({fmt(ratio, 2)})" if peer(server) in load.servers else fmt(cpu, 2))
        out.append(f"| {scenario} | " + " | ".join(cells) + " |")


def jmh_rows(path):
    rows = {}
    if not os.path.exists(path):
        return rows
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            base, _, secondary = r["Benchmark"].partition(":")
            name = base.split(".")[-2]
            key = "time" if not secondary else ("alloc" if secondary.endswith("gc.alloc.rate.norm") else None)
            if key:
                rows.setdefault(name, {})[key] = (num(r["Score"]), num(r["Score Error (99.9%)"]))
    return rows


def bars(load, syscalls, idle, startup, jmh):
    """(bar, measured, met?) for each of issue #6's bars that this run measured."""
    result = []

    def cpu_bar(scenario, limit, text):
        r = load.ratio(scenario, "mvc-saker", BASELINE, "cpu_us_per_req")
        if r is not None:
            result.append((text, f"Saker / Tomcat CPU µs/req = {r:.2f} (bar ≤ {limit:.2f})", r <= limit))

    cpu_bar("plaintext", 1 / 1.3, "Spring MVC plaintext: Saker ≤ 1/1.3 of Tomcat's CPU per request")
    r = load.ratio("plaintext", "mvc-saker-tls", TLS_BASELINE, "cpu_us_per_req")
    if r is not None:
        result.append(("Spring MVC plaintext over TLS, keep-alive: Saker ≤ 0.6 of Tomcat's CPU per request",
                       f"Saker / Tomcat CPU µs/req = {r:.2f} (bar ≤ 0.60)", r <= 0.6))
    r = load.ratio("close", "mvc-saker-tls", TLS_BASELINE, "cpu_us_per_req")
    if r is not None:
        result.append(("TLS handshake per new connection: Saker no more CPU than Tomcat",
                       f"Saker / Tomcat CPU µs/req (a full handshake each) = {r:.2f} (bar ≤ 1.00)", r <= 1.0))
    for scenario, server, tomcat, what in (("h2c", "mvc-saker-h2", H2C_BASELINE, "cleartext HTTP/2 (h2c)"),
                                           ("h2", "mvc-saker-h2-tls", H2_TLS_BASELINE, "HTTP/2 on TLS (h2)")):
        r = load.ratio(scenario, server, tomcat, "cpu_us_per_req")
        if r is not None:
            result.append((f"Spring MVC plaintext over {what}, many streams per connection: Saker ≤ 0.6 of "
                           "Tomcat's CPU per request (issue #13)",
                           f"Saker / Tomcat CPU µs/req = {r:.2f} (bar ≤ 0.60)", r <= 0.6))
    cpu_bar("json", 1 / 1.2, "Spring MVC JSON: Saker ≤ 1/1.2 of Tomcat's CPU per request")
    per_round = load.per_round("ws", "mvc-saker", BASELINE, "cpu_us_per_req")
    if per_round:
        r = median(per_round)
        result.append(("WebSocket echo of small text messages on many connections: Saker ≤ 0.6 of Tomcat's CPU per "
                       "message (issue #15)",
                       f"Saker / Tomcat CPU µs/message = {r:.2f} (rounds: {', '.join(f'{x:.2f}' for x in per_round)}; "
                       "bar ≤ 0.60)", r <= 0.6))
    for scenario, what in (("plaintext", "plaintext"), ("json", "JSON")):
        r = load.ratio(scenario, WEBFLUX_SAKER, WEBFLUX_NETTY, "cpu_us_per_req")
        if r is not None:
            result.append((f"WebFlux {what}: Saker ≤ 0.6 of Reactor Netty's CPU per request (issue #16)",
                           f"Saker / Reactor Netty CPU µs/req = {r:.2f} (bar ≤ 0.60)", r <= 0.6))
    r = load.ratio("plaintext", "saker-core", "netty", "cpu_us_per_req")
    if r is not None:
        result.append(("Saker core API no more CPU per request than raw Netty (plaintext)",
                       f"core / raw Netty = {r:.2f} (bar ≤ 1.00)", r <= 1.0))
    r = load.ratio("plaintext", "saker-core", BASELINE, "cpu_us_per_req")
    if r is not None:
        result.append(("Saker core API ≥ 2.5x better than Tomcat MVC (plaintext CPU per request)",
                       f"core / Tomcat MVC = {r:.2f}, i.e. {1 / r:.1f}x (bar ≥ 2.5x)", r <= 0.4))
    if "EngineBenchmark" in jmh and "alloc" in jmh["EngineBenchmark"]:
        a = jmh["EngineBenchmark"]["alloc"][0]
        result.append(("engine allocates 0 B per request", f"{a:.3f} B/op (JMH gc.alloc.rate.norm)", a < 1))
    for row in syscalls:
        if row[0] == "saker-core":
            w = float(row[1])
            result.append(("one write syscall per pipelined batch (Saker core API)", f"{w:.2f} writes per batch of 16",
                           w <= 1.0))
    mine, theirs = load.median("conn1000", "mvc-saker", "p99_us"), load.median("conn1000", BASELINE, "p99_us")
    if mine is not None and theirs is not None:
        result.append(("p99 at 1 000 connections no worse than Tomcat's (Spring MVC)",
                       f"Saker {mine:,.0f} µs vs Tomcat {theirs:,.0f} µs".replace(",", " "), mine <= theirs))
    for server in ("mvc-saker", "saker-core"):
        for row in idle:
            if row[0] == server and num(row[2]) is not None:
                per = (float(row[3]) - float(row[2])) * 1024 / int(row[1])
                result.append((f"idle keep-alive connection ≤ 4 KiB heap ({LABELS[server]})",
                               f"{per:,.0f} B heap per connection".replace(",", " "), per <= 4096))
    s, t = startup_median(startup, "sample-saker"), startup_median(startup, "sample-tomcat")
    if s and t:
        result.append(("start-up to first response no slower than Tomcat (sample app)",
                       f"Saker {s:,.0f} ms vs Tomcat {t:,.0f} ms".replace(",", " "), s <= t))
    return result


def startup_median(rows, name):
    return median([num(r[2]) for r in rows if r[0] == name])


def charts(load, directory):
    paths = []
    colors = ["#1f77b4", "#aec7e8", "#ff7f0e", "#d62728", "#9467bd", "#8c564b", "#7f7f7f", "#2ca02c", "#98df8a"]
    for column, name, ylabel, log in (("cpu_us_per_req", "benchmarks-cpu.png", "server CPU µs per request (lower is better)", True),
                                      ("rps", "benchmarks-rps.png", "requests per second (higher is better)", True)):
        fig, ax = plt.subplots(figsize=(12, 5.5))
        n = len(load.servers)
        width = 0.8 / max(n, 1)
        for i, server in enumerate(load.servers):
            values = [load.median(s, server, column) or 0 for s in load.scenarios]
            xs = [x + (i - (n - 1) / 2) * width for x in range(len(load.scenarios))]
            ax.bar(xs, values, width, label=label(server), color=colors[i % len(colors)])
        ax.set_xticks(range(len(load.scenarios)))
        ax.set_xticklabels(load.scenarios)
        ax.set_ylabel(ylabel + (", log scale" if log else ""))
        if log:
            ax.set_yscale("log")
        ax.grid(axis="y", which="both", alpha=0.3)
        ax.legend(fontsize=8, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.08))
        ax.set_title(f"{ylabel.split(' (')[0]}, median of the rounds (2 shared cores: compare within a scenario)")
        fig.tight_layout()
        path = os.path.join(directory, name)
        fig.savefig(path, dpi=100)
        plt.close(fig)
        paths.append(path)
    return paths


def report(out_dir):
    meta = dict(read_tsv(os.path.join(out_dir, "meta.tsv"), header=False))
    load = Load(read_tsv(os.path.join(out_dir, "raw.tsv")))
    syscalls = read_tsv(os.path.join(out_dir, "syscalls.tsv"), header=False)
    idle = read_tsv(os.path.join(out_dir, "idle.tsv"), header=False)
    startup = read_tsv(os.path.join(out_dir, "startup.tsv"), header=False)
    jmh = jmh_rows(os.path.join(out_dir, "jmh.csv"))
    inprocess = read_tsv(os.path.join(out_dir, "inprocess.tsv"), header=False)
    if not load.rows:
        sys.exit("report: no load rounds in raw.tsv")

    out = [f"Generated by `benchmarks/bench.sh` ({meta.get('mode', '?')} run) on {meta.get('date', '?')}.", "",
           "| | |", "| --- | --- |",
           f"| CPUs | {meta.get('cpu', '?')} |", f"| memory | {meta.get('memory', '?')} |",
           f"| kernel | {meta.get('kernel', '?')} |", f"| JVM (servers, clients, JMH) | {meta.get('java', '?')} |",
           f"| JVM flags (every Java server) | `{meta.get('jvm_opts', '?')}` |",
           f"| load generator | wrk {meta.get('wrk', '?')}"
           + (f" (HTTP/2: h2load {meta.get('h2load', '?')})" if any(s in H2_SCENARIOS for s in load.scenarios) else "")
           + (" (WebSocket: `WebSocketEchoClient`, Netty)" if "ws" in load.scenarios else "")
           + ", 1 thread, pinned to CPU 1; servers pinned to CPU 0 |",
           f"| nginx | {meta.get('nginx', '?')}, 1 worker |", f"| strace | {meta.get('strace', '?')} |",
           f"| load average (1, 5, 15 min) | before {meta.get('load_before', '?')}, after {meta.get('load_after', '?')} |",
           f"| rounds | {meta.get('rounds')} interleaved rounds of {meta.get('duration')} s per scenario after "
           f"{meta.get('warmup')} s of warm-up per server and scenario |", ""]

    baseline_table(load, meta, out)
    webflux_table(load, out)
    webflux_floor_table(load, inprocess, out)
    found = bars(load, syscalls, idle, startup, jmh)
    if found:
        out += ["### Bars (issue #6), ratios from this run", "", "| bar | measured | met |", "| --- | --- | --- |"]
        out += [f"| {b} | {m} | {'**yes**' if ok else '**no**'} |" for b, m, ok in found]
        out.append("")
    out += ["### CPU µs per request (ratio to Spring MVC on Tomcat)", ""]
    summary_table(load, out)
    out += ["", "![CPU per request](benchmarks-cpu.png)", "", "![requests per second](benchmarks-rps.png)", "",
            "### Load, per scenario", ""]
    load_tables(load, meta, out)
    if syscalls:
        out += ["", f"### Syscalls per pipelined batch ({meta.get('batches')} batches of {meta.get('depth')} GETs, "
                    "one connection, `strace -f -c`)", "",
                "| server | write syscalls / batch | read syscalls / batch |", "| --- | ---: | ---: |"]
        out += [f"| {label(r[0])} | {r[1]} | {r[2]} |" for r in syscalls]
    if idle:
        out += ["", f"### Memory per idle keep-alive connection ({meta.get('idle_conns')} connections, each after one request)",
                "", "Heap: used after a full GC (`jcmd GC.run`, then `jstat -gc`), before and after opening the "
                    "connections; RSS: `VmRSS` (nginx: master + worker).", "",
                "| server | heap before (MiB) | heap after (MiB) | heap per connection (B) | RSS before (MiB) | RSS after (MiB) | RSS per connection (B) |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in idle:
            n = int(r[1])
            h0, h1, r0, r1 = (num(x) for x in r[2:6])
            heap = (h1 - h0) * 1024 / n if h0 is not None and h1 is not None else None
            out.append(f"| {label(r[0])} | {fmt(h0 and h0 / 1024, 1)} | {fmt(h1 and h1 / 1024, 1)} | {fmt(heap)} "
                       f"| {fmt(r0 / 1024, 1)} | {fmt(r1 / 1024, 1)} | {fmt((r1 - r0) * 1024 / n)} |")
    if startup:
        out += ["", f"### Start-up: JVM start to first answered `GET /plaintext` ({meta.get('startup_runs')} runs each, "
                    "interleaved, server pinned to CPU 0)", "",
                "| application | first response (ms, median) | Spring's \"process running for\" (ms, median) | runs (ms) |",
                "| --- | ---: | ---: | --- |"]
        for name in dict.fromkeys(r[0] for r in startup):
            runs = [r for r in startup if r[0] == name]
            out.append(f"| {label(name)} | {fmt(startup_median(startup, name))} "
                       f"| {fmt(median([num(r[3]) for r in runs]))} | {', '.join(r[2] for r in runs)} |")
    if jmh:
        out += ["", "### JMH: one request through the engine (`-prof gc`, 1 fork, 3 x 2 s warm-up, 5 x 2 s)", "",
                "| benchmark | ns/op | gc.alloc.rate.norm (B/op) |", "| --- | ---: | ---: |"]
        for name, entry in jmh.items():
            t, a = entry.get("time", (None, None)), entry.get("alloc", (None, None))
            out.append(f"| {name} | {fmt(t[0])} ± {fmt(t[1])} | {fmt(a[0], 3)} |")

    text = "\n".join(out) + "\n"
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write(text)
    charts(load, out_dir)
    return text


def into_docs(text, out_dir, docs):
    section = f"{BEGIN}\n{text}{END}\n"
    current = open(docs).read() if os.path.exists(docs) else ""
    if BEGIN in current and END in current:
        head, rest = current.split(BEGIN, 1)
        updated = head + section + "\n" + rest.split(END, 1)[1].lstrip("\n")
    else:
        updated = current + ("\n" if current else "") + section
    with open(docs, "w") as f:
        f.write(updated)
    for name in ("benchmarks-cpu.png", "benchmarks-rps.png"):
        shutil.copy(os.path.join(out_dir, name), os.path.join(os.path.dirname(docs), name))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--docs")
    args = parser.parse_args()
    text = report(args.out)
    if args.docs:
        into_docs(text, args.out, args.docs)
    print(text)


if __name__ == "__main__":
    main()
