package dev.herald.loadtest.report;

import java.util.Locale;

/**
 * One measured figure and, when it has one, its target: {@code atMost} true means lower is better.
 * A {@link Double#NaN} value means the figure could not be measured (it counts as a miss).
 */
public record Figure(String name, double value, String unit, Double target, boolean atMost) {

    public static Figure info(String name, double value, String unit) {
        return new Figure(name, value, unit, null, true);
    }

    public static Figure atMost(String name, double value, String unit, double target) {
        return new Figure(name, value, unit, target, true);
    }

    public static Figure atLeast(String name, double value, String unit, double target) {
        return new Figure(name, value, unit, target, false);
    }

    public Verdict verdict() {
        if (target == null) {
            return Verdict.INFO;
        }
        if (Double.isNaN(value)) {
            return Verdict.MISS;
        }
        return (atMost ? value <= target : value >= target) ? Verdict.PASS : Verdict.MISS;
    }

    public String valueText() {
        return format(value) + " " + unit;
    }

    public String targetText() {
        return target == null ? "" : (atMost ? "<= " : ">= ") + format(target) + " " + unit;
    }

    static String format(double number) {
        if (Double.isNaN(number)) {
            return "n/a";
        }
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) number);
        }
        return String.format(Locale.ROOT, Math.abs(number) >= 100 ? "%,.0f" : "%.2f", number);
    }
}
