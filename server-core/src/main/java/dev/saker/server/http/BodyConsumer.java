package dev.saker.server.http;

import io.netty.buffer.ByteBuf;

/** Receives one delivery of request body data, on the connection's event loop. */
public interface BodyConsumer {

    /**
     * @param data the next bytes; owned by the server and released after this call returns
     *             (retain or copy to keep them)
     * @param last whether this is the end of the body (data may then be empty)
     */
    void onData(ByteBuf data, boolean last);

    /** The body cannot be read to its end: the client went away, stalled or broke the framing. */
    void onError(java.io.IOException error);
}
