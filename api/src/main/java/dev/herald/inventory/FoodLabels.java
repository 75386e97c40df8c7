package dev.herald.inventory;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells which catalogue food a detector's label names. Labels are compared without regard to case and
 * with spaces, dashes and underscores alike ({@code Bell_Pepper} is {@code bell pepper}); a plural finds
 * its singular ({@code apples}, {@code tomatoes}, {@code cherries}); other names come from the bundled
 * {@code inventory/food-labels.json} ({@code yogurt} is {@code yoghurt}).
 */
@Singleton
final class FoodLabels {

    @Serdeable
    record Table(String about, Map<String, String> aliases) {
    }

    private final Set<String> foods;
    private final Map<String, String> aliases;

    FoodLabels(NutritionFacts nutrition, JsonMapper json) {
        this.foods = Set.copyOf(nutrition.foods());
        this.aliases = Map.copyOf(BundledTable.read(json, "food-labels.json", Table.class).aliases());
        aliases.forEach((alias, food) -> {
            if (!foods.contains(food)) {
                throw new IllegalStateException("food-labels.json: " + alias + " names the unknown food " + food);
            }
        });
    }

    /** The catalogue food the label names, if any. */
    Optional<String> foodOf(String label) {
        for (String candidate : singularForms(normalized(label))) {
            if (foods.contains(candidate)) {
                return Optional.of(candidate);
            }
            if (aliases.containsKey(candidate)) {
                return Optional.of(aliases.get(candidate));
            }
        }
        return Optional.empty();
    }

    static String normalized(String label) {
        return label.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", " ");
    }

    /** The label itself, then what it would be if it were an English plural, most specific rule first. */
    private static List<String> singularForms(String name) {
        List<String> forms = new ArrayList<>(List.of(name));
        if (name.endsWith("ies")) {
            forms.add(name.substring(0, name.length() - 3) + "y"); // cherries, strawberries
        }
        if (name.endsWith("es")) {
            forms.add(name.substring(0, name.length() - 2)); // tomatoes, peaches
        }
        if (name.endsWith("s")) {
            forms.add(name.substring(0, name.length() - 1)); // apples, eggs
        }
        return forms;
    }
}
