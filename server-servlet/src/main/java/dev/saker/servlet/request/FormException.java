package dev.saker.servlet.request;

/**
 * A form or multipart body is malformed (400) or breaks a limit (413). Unchecked, as the Servlet
 * spec asks of {@code getParameter} failures; the container answers it with {@link #status()}.
 */
public class FormException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int status;

    public FormException(int status, String message) {
        super(message);
        this.status = status;
    }

    public FormException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** @return the status that answers this error */
    public int status() {
        return status;
    }
}
