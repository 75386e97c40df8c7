package dev.herald.loadtest.report;

import java.util.Locale;

/**
 * One measured figure and, when it has one, its target: {@code atMost} true means lower is better.
 * A {@link Double#NaN} value means the figure could not be measured (it counts as a miss), and so does one
 * with a {@code notComparable} reason: measured, but not under the conditions its target names (a p99 at
 * a lower rate than asked, or with failed requests left out of it).
 */
public record Figure(String name, double value, String unit, Double target, boolean atMost, String notComparable) {

    public Figure(String name, double value, String unit, Double target, boolean atMost) {
        this(name, value, unit, target, atMost, null);
    }

    public static Figure info(String name, double value, String unit) {
        return new Figure(name, value, unit, null, true);
    }

    public static Figure atMost(String name, double value, String unit, double target) {
        return new Figure(name, value, unit, target, true);
    }

    public static Figure atLeast(String name, double value, String unit, double target) {
        return new Figure(name, value, unit, target, false);
    }

    /** The same figure, a miss whatever its value, saying why (shown beside the value); itself when {@code reason} is null. */
    public Figure notComparable(String reason) {
        return reason == null ? this : new Figure(name, value, unit, target, atMost, reason);
    }

    public Verdict verdict() {
        if (target == null) {
            return Verdict.INFO;
        }
        if (Double.isNaN(value) || notComparable != null) {
            return Verdict.MISS;
        }
        return (atMost ? value <= target : value >= target) ? Verdict.PASS : Verdict.MISS;
    }

    public String valueText() {
        return format(value) + " " + unit + (notComparable == null ? "" : " (" + notComparable + ")");
    }

    public String targetText() {
        return target == null ? "" : (atMost ? "<= " : ">= ") + format(target) + " " + unit;
    }

    static String format(double number) {
        if (Double.isNaN(number)) {
            return "n/a";
        }
        if (Double.isInfinite(number)) {
            return "never"; // e.g. the time to a last delivery that did not come
        }
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) number);
        }
        return String.format(Locale.ROOT, Math.abs(number) >= 100 ? "%,.0f" : "%.2f", number);
    }
}
