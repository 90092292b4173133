package dev.saker.server.lifecycle;

import java.time.Duration;

/**
 * How a graceful shutdown ended.
 *
 * @param idle true when every connection had finished before the deadline
 * @param activeRequestsAtDeadline requests still running when the deadline forced the close (0 when idle)
 * @param took how long the drain lasted
 */
public record ShutdownResult(boolean idle, int activeRequestsAtDeadline, Duration took) {
}
