package dev.saker.servlet.context;

import jakarta.servlet.SessionCookieConfig;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Session cookie settings of a context; frozen once the context has started. */
public final class SakerSessionCookieConfig implements SessionCookieConfig {

    private final ContextSettings context;
    private String name = "JSESSIONID";
    private final Map<String, String> attributes = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    SakerSessionCookieConfig(ContextSettings context) {
        this.context = context;
        attributes.put("HttpOnly", "");
        attributes.put("Path", null);
    }

    private void set(String attribute, String value) {
        context.checkNotStarted("SessionCookieConfig." + attribute);
        if (value == null) {
            attributes.remove(attribute);
        } else {
            attributes.put(attribute, value);
        }
    }

    @Override
    public void setName(String name) {
        context.checkNotStarted("SessionCookieConfig.setName");
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("session cookie name must not be empty");
        }
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void setDomain(String domain) {
        set("Domain", domain);
    }

    @Override
    public String getDomain() {
        return attributes.get("Domain");
    }

    @Override
    public void setPath(String path) {
        set("Path", path);
    }

    @Override
    public String getPath() {
        return attributes.get("Path");
    }

    @Override
    @SuppressWarnings("removal")
    public void setComment(String comment) {
        context.checkNotStarted("SessionCookieConfig.setComment");
    }

    @Override
    @SuppressWarnings("removal")
    public String getComment() {
        return null;
    }

    @Override
    public void setHttpOnly(boolean httpOnly) {
        set("HttpOnly", httpOnly ? "" : null);
    }

    @Override
    public boolean isHttpOnly() {
        return attributes.containsKey("HttpOnly");
    }

    @Override
    public void setSecure(boolean secure) {
        set("Secure", secure ? "" : null);
    }

    @Override
    public boolean isSecure() {
        return attributes.containsKey("Secure");
    }

    @Override
    public void setMaxAge(int maxAge) {
        set("Max-Age", maxAge < 0 ? null : Integer.toString(maxAge));
    }

    @Override
    public int getMaxAge() {
        String value = attributes.get("Max-Age");
        return value == null ? -1 : Integer.parseInt(value);
    }

    @Override
    public void setAttribute(String attributeName, String value) {
        if (attributeName == null || attributeName.isEmpty()) {
            throw new IllegalArgumentException("cookie attribute name must not be empty");
        }
        set(attributeName, value);
    }

    @Override
    public String getAttribute(String attributeName) {
        return attributes.get(attributeName.toLowerCase(Locale.ROOT).equals("httponly") ? "HttpOnly" : attributeName);
    }

    @Override
    public Map<String, String> getAttributes() {
        Map<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        attributes.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return Collections.unmodifiableMap(copy);
    }
}
