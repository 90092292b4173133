package dev.saker.server.http1;

/** Character classes of RFC 9110/9112 as lookup tables, so validation is one load and one test per byte. */
final class ByteClasses {

    /** tchar: may appear in a token (method, field name, coding name). */
    static final int TCHAR = 1;
    /** field-vchar / SP / HTAB: may appear inside a field value (obs-text included). */
    static final int FIELD_VALUE = 2;
    /** may appear in a request target (visible ASCII except '#'). */
    static final int TARGET = 4;
    /** a hexadecimal digit. */
    static final int HEX = 8;
    /** may appear in the Host field (reg-name, IPv4, IP-literal brackets, ':' before the port). */
    static final int HOST = 16;

    private static final byte[] TABLE = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            int bits = 0;
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (alnum || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) {
                bits |= TCHAR;
            }
            if (c == '\t' || (c >= 0x20 && c <= 0x7E) || c >= 0x80) {
                bits |= FIELD_VALUE;
            }
            if (c >= 0x21 && c <= 0x7E && c != '#') {
                bits |= TARGET;
            }
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                bits |= HEX;
            }
            if (alnum || "-._~%!$&'()*+,;=:[]".indexOf(c) >= 0) {
                bits |= HOST;
            }
            TABLE[c] = (byte) bits;
        }
    }

    private ByteClasses() {
    }

    static boolean is(byte b, int cls) {
        return (TABLE[b & 0xFF] & cls) != 0;
    }

    static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }
}
