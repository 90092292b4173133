package dev.saker.server.observe;

/** The deadlines the engine enforces. */
public enum TimeoutKind {
    /** Whole request head. */
    HEAD,
    /** Idle keep-alive connection. */
    KEEP_ALIVE,
    /** Stalled request body read. */
    BODY_READ,
    /** Client not reading the response. */
    WRITE,
    /** Upgraded connection with no byte either way. */
    IDLE
}
