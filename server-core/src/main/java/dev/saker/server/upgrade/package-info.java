/**
 * A connection switched away from HTTP/1.1 ({@code 101 Switching Protocols}) to a protocol the
 * engine does not know: a raw byte stream in both directions, with demand-driven input and output
 * that reports its writability, for the Servlet {@code HttpUpgradeHandler} and similar users.
 */
package dev.saker.server.upgrade;
