package dev.saker.servlet.util;

/** The {@code q} weight of one element of an {@code Accept-*} list (RFC 9110 12.4.2). */
public final class QualityValues {

    private QualityValues() {
    }

    /**
     * @param parts the element split on {@code ;}: the value first, then its parameters
     * @return the {@code q} parameter (1 when absent, 0 when malformed)
     */
    public static double weight(String[] parts) {
        double q = 1.0;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.startsWith("q=")) {
                try {
                    q = Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    q = 0;
                }
            }
        }
        return q;
    }
}
