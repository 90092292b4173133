/**
 * {@code HttpServletRequest.upgrade}: the {@code WebConnection} an {@code HttpUpgradeHandler} gets
 * once the container switched the connection to the engine's raw byte stream.
 */
package dev.saker.servlet.upgrade;
