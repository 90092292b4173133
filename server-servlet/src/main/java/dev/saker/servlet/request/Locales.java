package dev.saker.servlet.request;

import dev.saker.servlet.util.QualityValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Parses {@code Accept-Language} into locales ordered by quality (RFC 9110 12.5.4). */
public final class Locales {

    private Locales() {
    }

    /** @return the locales, best first; the server default when the field is absent or empty */
    public static List<Locale> parse(List<String> headerValues) {
        List<double[]> weights = new ArrayList<>();
        List<Locale> locales = new ArrayList<>();
        for (String header : headerValues) {
            for (String item : header.split(",")) {
                String[] parts = item.trim().split(";");
                String tag = parts[0].trim();
                if (tag.isEmpty() || tag.equals("*")) {
                    continue;
                }
                double q = QualityValues.weight(parts);
                if (q > 0) {
                    locales.add(Locale.forLanguageTag(tag));
                    weights.add(new double[] {q, weights.size()});
                }
            }
        }
        if (locales.isEmpty()) {
            List<Locale> fallback = new ArrayList<>();
            fallback.add(Locale.getDefault());
            return fallback;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < locales.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -weights.get(i)[0]).thenComparingInt(i -> i));
        List<Locale> sorted = new ArrayList<>();
        for (int i : order) {
            sorted.add(locales.get(i));
        }
        return sorted;
    }
}
