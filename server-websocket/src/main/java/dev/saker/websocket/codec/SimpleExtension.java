package dev.saker.websocket.codec;

import jakarta.websocket.Extension;
import java.util.ArrayList;
import java.util.List;

/** An extension as offered in or answered with {@code Sec-WebSocket-Extensions}. */
public record SimpleExtension(String getName, List<Extension.Parameter> getParameters) implements Extension {

    /** One {@code name=value} (or bare {@code name}: empty value) of an extension. */
    public record Param(String getName, String getValue) implements Extension.Parameter {
    }

    /** Parses {@code Sec-WebSocket-Extensions} values: extensions split by commas, their parameters by semicolons. */
    public static List<Extension> parse(List<String> values) {
        List<Extension> extensions = new ArrayList<>();
        if (values == null) {
            return extensions;
        }
        for (String value : values) {
            for (String offer : value.split(",")) {
                String[] parts = offer.split(";");
                String name = parts[0].trim();
                if (name.isEmpty()) {
                    continue;
                }
                List<Extension.Parameter> params = new ArrayList<>();
                for (int i = 1; i < parts.length; i++) {
                    String part = parts[i].trim();
                    if (part.isEmpty()) {
                        continue;
                    }
                    int eq = part.indexOf('=');
                    params.add(eq < 0 ? new Param(part, "")
                            : new Param(part.substring(0, eq).trim(), unquote(part.substring(eq + 1).trim())));
                }
                extensions.add(new SimpleExtension(name, List.copyOf(params)));
            }
        }
        return extensions;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
