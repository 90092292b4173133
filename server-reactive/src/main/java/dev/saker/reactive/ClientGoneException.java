package dev.saker.reactive;

import java.io.IOException;

/** The client closed the connection while the response was being written. */
public final class ClientGoneException extends IOException {

    ClientGoneException() {
        super("the client closed the connection before the response was complete");
    }
}
