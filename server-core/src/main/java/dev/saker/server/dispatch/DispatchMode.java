package dev.saker.server.dispatch;

/** Where request handlers run. */
public enum DispatchMode {

    /** On the connection's event loop: the cheapest, for handlers that never block. */
    EVENT_LOOP,

    /** On a bounded pool of platform threads (like Tomcat's 200): for blocking handlers on any JDK. */
    WORKER_POOL,

    /** On a new virtual thread per request: for blocking handlers on JDK 21 and later. */
    VIRTUAL_THREADS
}
