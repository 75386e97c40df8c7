package dev.herald.loadtest.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Command-line options after the scenario name: {@code --name value}, {@code --name=value}, or a bare {@code --flag}. */
public record Options(String scenario, Map<String, String> values) {

    public static Options parse(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no scenario given");
        }
        Map<String, String> values = new HashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String name = args.get(i);
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("expected --option, got " + name);
            }
            int equals = name.indexOf('=');
            if (equals > 2) {
                // --jvm-flags=--add-opens=... : the only way to give a value that itself starts with "--"
                values.put(name.substring(2, equals), name.substring(equals + 1));
                continue;
            }
            boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
            values.put(name.substring(2), hasValue ? args.get(++i) : "true");
        }
        return new Options(args.getFirst(), values);
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return text(name).map(Integer::parseInt).orElse(fallback);
    }

    public double decimal(String name, double fallback) {
        return text(name).map(Double::parseDouble).orElse(fallback);
    }

    public boolean flag(String name) {
        return text(name).map(Boolean::parseBoolean).orElse(false);
    }

    public Duration duration(String name, Duration fallback) {
        return text(name).map(Options::parseDuration).orElse(fallback);
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m} or plain seconds. */
    static Duration parseDuration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
        }
        if (text.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }
}
