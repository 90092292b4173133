#!/usr/bin/env python3
"""Summarizes a JFR recording's execution samples by layer and by method.

Usage: jfr_layers.py JFR_TOOL RECORDING [TOP]

Prints, for the Java execution samples (jdk.ExecutionSample; time in the kernel and in native code
is not sampled): the share of samples whose top frame is in each layer (self), the share whose stack
passes through each layer (inclusive), and the TOP hottest top frames.
"""
import collections
import re
import subprocess
import sys

LAYERS = [
    ("Saker engine", ("dev.saker.server.",)),
    ("Saker servlet container", ("dev.saker.servlet.", "dev.saker.boot.")),
    ("Tomcat", ("org.apache.catalina.", "org.apache.coyote.", "org.apache.tomcat.")),
    ("Jetty", ("org.eclipse.jetty.",)),
    ("Reactor", ("reactor.",)),
    ("Spring", ("org.springframework.",)),
    ("Jackson", ("tools.jackson.", "com.fasterxml.jackson.")),
    ("Micrometer", ("io.micrometer.",)),
    ("Netty", ("io.netty.",)),
    ("JDK", ("java.", "javax.", "jdk.", "sun.")),
]
FRAME = re.compile(r"^\s+([\w$.<>/]+)\(")


def layer(frame):
    for name, prefixes in LAYERS:
        if frame.startswith(prefixes):
            return name
    return "other"


def stacks(jfr_tool, recording):
    text = subprocess.run([jfr_tool, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "256", recording],
                          check=True, capture_output=True, text=True).stdout
    stack = None
    for line in text.splitlines():
        if line.strip().startswith("stackTrace = ["):
            stack = []
        elif stack is not None and line.strip() == "]":
            yield stack
            stack = None
        elif stack is not None:
            m = FRAME.match(line)
            if m:
                stack.append(m.group(1))


def main():
    jfr_tool, recording = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    self_layer, incl_layer, self_frame = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0
    for stack in stacks(jfr_tool, recording):
        if not stack:
            continue
        total += 1
        self_layer[layer(stack[0])] += 1
        self_frame[stack[0]] += 1
        for name in {layer(f) for f in stack}:
            incl_layer[name] += 1
    if not total:
        sys.exit("no execution samples")
    print(f"{total} execution samples")
    print(f"{'layer':<26}{'self':>8}{'inclusive':>11}")
    for name, _ in LAYERS + [("other", ())]:
        if incl_layer[name]:
            print(f"{name:<26}{100 * self_layer[name] / total:7.1f}%{100 * incl_layer[name] / total:10.1f}%")
    print(f"\ntop {top} frames (self)")
    for frame, count in self_frame.most_common(top):
        print(f"{100 * count / total:6.1f}%  {frame}")


if __name__ == "__main__":
    main()
