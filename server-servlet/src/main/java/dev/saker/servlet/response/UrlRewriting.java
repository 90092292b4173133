package dev.saker.servlet.response;

import jakarta.servlet.ServletContext;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Locale;

/** URL rewriting ({@code ;jsessionid=}), only when the context tracks sessions by URL. */
final class UrlRewriting {

    private UrlRewriting() {
    }

    /** @return {@code url} with the session id added when the session is tracked by URL, else as given */
    static String encode(String url, HttpServletRequest request, ServletContext context) {
        if (url == null || !context.getEffectiveSessionTrackingModes().contains(SessionTrackingMode.URL)
                || request.isRequestedSessionIdFromCookie() || url.contains("://")) {
            return url;
        }
        HttpSession session = request.getSession(false);
        if (session == null) {
            return url;
        }
        int cut = url.length();
        int query = url.indexOf('?');
        int fragment = url.indexOf('#');
        if (query >= 0) {
            cut = query;
        }
        if (fragment >= 0 && fragment < cut) {
            cut = fragment;
        }
        return url.substring(0, cut) + ";" + context.getSessionCookieConfig().getName().toLowerCase(Locale.ROOT) + "="
                + session.getId() + url.substring(cut);
    }
}
