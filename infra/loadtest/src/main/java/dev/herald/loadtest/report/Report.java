package dev.herald.loadtest.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a scenario measured: its figures (printed as a table) and the counts that prove it ran right. */
public final class Report {

    private final String scenario;
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String scenario) {
        this.scenario = scenario;
    }

    public Report add(Figure figure) {
        figures.add(figure);
        return this;
    }

    public Report count(String name, long value) {
        counts.put(name, value);
        return this;
    }

    public Report note(String note) {
        notes.add(note);
        return this;
    }

    public String scenario() {
        return scenario;
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    public Optional<Figure> figure(String name) {
        return figures.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    public long count(String name) {
        Long value = counts.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no count " + name + " in " + counts.keySet());
        }
        return value;
    }

    public Map<String, Long> counts() {
        return Map.copyOf(counts);
    }

    public void print(PrintStream out) {
        int nameWidth = Math.max(6, figures.stream().mapToInt(f -> f.name().length()).max().orElse(6));
        int valueWidth = Math.max(5, figures.stream().mapToInt(f -> f.valueText().length()).max().orElse(5));
        int targetWidth = Math.max(6, figures.stream().mapToInt(f -> f.targetText().length()).max().orElse(6));
        String row = "| %-" + nameWidth + "s | %" + valueWidth + "s | %-" + targetWidth + "s | %-7s |%n";
        out.println();
        out.println("== " + scenario + " ==");
        out.printf(row, "figure", "value", "target", "verdict");
        out.printf(row, "-".repeat(nameWidth), "-".repeat(valueWidth), "-".repeat(targetWidth), "-------");
        for (Figure figure : figures) {
            out.printf(row, figure.name(), figure.valueText(), figure.targetText(), figure.verdict());
        }
        if (!counts.isEmpty()) {
            out.println("counts: " + counts);
        }
        notes.forEach(note -> out.println("note: " + note));
        out.flush();
    }
}
