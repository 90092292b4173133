package dev.saker.server.websocket;

/** The close codes of RFC 6455 §7.4 the engine uses, and which codes may travel in a close frame. */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Never sent: the close frame carried no code. */
    public static final int NO_STATUS = 1005;
    /** Never sent: the connection closed without a close frame. */
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;

    private CloseCodes() {
    }

    /**
     * @return whether {@code code} may be sent in a close frame: 1000-1003, 1007-1011 (registered
     *     for endpoints), 1012-1014 (registered later by IANA) and 3000-4999 (libraries and applications)
     */
    public static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }
}
