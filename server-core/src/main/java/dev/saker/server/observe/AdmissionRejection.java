package dev.saker.server.observe;

/** Why admission control refused a connection or a request; {@link #tag()} names it in metrics. */
public enum AdmissionRejection {
    /** A client already had {@code maxConnectionsPerClient} connections open: the new one was closed. */
    CLIENT_CONNECTIONS("client_connections"),
    /** A client's token bucket was empty: {@code 429 Too Many Requests}. */
    CLIENT_RATE("client_rate"),
    /** {@code maxConcurrentRequests} (or its adaptive limit) requests were running: {@code 503}. */
    CONCURRENCY("concurrency"),
    /** The client table was full of clients with open connections, so a new client could not be tracked. */
    CLIENT_TABLE_FULL("client_table_full");

    private final String tag;

    AdmissionRejection(String tag) {
        this.tag = tag;
    }

    /** @return the lower-case name used as a metric tag */
    public String tag() {
        return tag;
    }
}
