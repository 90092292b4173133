package dev.saker.servlet.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Error pages of a context: by status code, by exception type (the closest superclass wins), and a
 * global page for everything else (Servlet 6.1, 10.9.2).
 */
public final class ErrorPages {

    private final Map<Integer, String> byStatus = new LinkedHashMap<>();
    private final Map<Class<? extends Throwable>, String> byException = new LinkedHashMap<>();
    private String global;

    public void addForStatus(int status, String location) {
        byStatus.put(status, location);
    }

    public void addForException(Class<? extends Throwable> type, String location) {
        byException.put(type, location);
    }

    public void setGlobal(String location) {
        this.global = location;
    }

    /** @return the page for {@code status}, else the global one, or {@code null} */
    public String forStatus(int status) {
        String page = byStatus.get(status);
        return page != null ? page : global;
    }

    /** @return the page for the exception (walking up its class hierarchy), else the status-500 or global page */
    public String forException(Throwable error) {
        for (Class<?> type = error.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            String page = byException.get(type);
            if (page != null) {
                return page;
            }
        }
        return forStatus(500);
    }
}
