package dev.saker.servlet.request;

/**
 * What the container parses of a form or multipart body at most; past a limit the request is
 * answered 413. A negative value means no limit.
 *
 * @param maxFormSize largest urlencoded body, and largest sum of multipart text-field values, in bytes
 * @param maxParameterCount most parameters: query, urlencoded form and multipart text fields together
 * @param maxPartCount most parts of a multipart body
 * @param maxPartHeaderSize most header bytes of one part
 */
public record FormLimits(long maxFormSize, int maxParameterCount, int maxPartCount, int maxPartHeaderSize) {

    /** @return no limit at all */
    public static FormLimits none() {
        return new FormLimits(-1, -1, -1, -1);
    }
}
