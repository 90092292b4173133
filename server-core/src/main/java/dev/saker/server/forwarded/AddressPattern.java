package dev.saker.server.forwarded;

import java.net.InetAddress;
import java.util.regex.Pattern;

/** Trusted proxies as a regular expression over the textual address (Tomcat's {@code internalProxies}). */
final class AddressPattern implements TrustedProxies {

    private final Pattern pattern;

    AddressPattern(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public boolean contains(InetAddress address) {
        return contains(address.getHostAddress());
    }

    @Override
    public boolean contains(String address) {
        return pattern.matcher(address).matches();
    }
}
