package dev.saker.server.http;

/** Reason phrases of the status codes of RFC 9110 (and a few in common use). */
public final class HttpStatus {

    private static final String[] REASONS = new String[600];

    static {
        String[][] table = {
            {"100", "Continue"}, {"101", "Switching Protocols"}, {"103", "Early Hints"},
            {"200", "OK"}, {"201", "Created"}, {"202", "Accepted"}, {"203", "Non-Authoritative Information"},
            {"204", "No Content"}, {"205", "Reset Content"}, {"206", "Partial Content"},
            {"207", "Multi-Status"},
            {"300", "Multiple Choices"}, {"301", "Moved Permanently"}, {"302", "Found"},
            {"303", "See Other"}, {"304", "Not Modified"}, {"307", "Temporary Redirect"},
            {"308", "Permanent Redirect"},
            {"400", "Bad Request"}, {"401", "Unauthorized"}, {"402", "Payment Required"},
            {"403", "Forbidden"}, {"404", "Not Found"}, {"405", "Method Not Allowed"},
            {"406", "Not Acceptable"}, {"407", "Proxy Authentication Required"},
            {"408", "Request Timeout"}, {"409", "Conflict"}, {"410", "Gone"},
            {"411", "Length Required"}, {"412", "Precondition Failed"}, {"413", "Content Too Large"},
            {"414", "URI Too Long"}, {"415", "Unsupported Media Type"}, {"416", "Range Not Satisfiable"},
            {"417", "Expectation Failed"}, {"421", "Misdirected Request"}, {"422", "Unprocessable Content"},
            {"425", "Too Early"}, {"426", "Upgrade Required"}, {"428", "Precondition Required"},
            {"429", "Too Many Requests"}, {"431", "Request Header Fields Too Large"},
            {"451", "Unavailable For Legal Reasons"},
            {"500", "Internal Server Error"}, {"501", "Not Implemented"}, {"502", "Bad Gateway"},
            {"503", "Service Unavailable"}, {"504", "Gateway Timeout"},
            {"505", "HTTP Version Not Supported"}, {"507", "Insufficient Storage"},
            {"511", "Network Authentication Required"},
        };
        for (String[] row : table) {
            REASONS[Integer.parseInt(row[0])] = row[1];
        }
    }

    private HttpStatus() {
    }

    /**
     * @param status a status code from 100 to 599
     * @return its reason phrase, or a generic one for its class when the code is unregistered
     */
    public static String reasonPhrase(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        String reason = REASONS[status];
        if (reason != null) {
            return reason;
        }
        switch (status / 100) {
            case 1: return "Informational";
            case 2: return "Success";
            case 3: return "Redirection";
            case 4: return "Client Error";
            default: return "Server Error";
        }
    }

    /** @return whether a response with this status never has a body (1xx, 204, 304) */
    public static boolean isBodyless(int status) {
        return status < 200 || status == 204 || status == 304;
    }
}
