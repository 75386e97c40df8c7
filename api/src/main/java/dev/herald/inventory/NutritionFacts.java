package dev.herald.inventory;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Nutrition facts per 100 g of common foods, from the bundled {@code inventory/nutrition-facts.json}
 * (USDA figures; the file names its source, each food's NDB number and every nutrient's unit).
 */
@Singleton
final class NutritionFacts {

    /** The nutrients every food carries, in this order. */
    static final List<String> NUTRIENTS = List.of("energy_kcal", "carbohydrate", "protein", "fiber", "total_sugars",
            "saturated_fat", "vitamin_a", "vitamin_c", "potassium", "iron", "calcium", "sodium", "cholesterol");

    @Serdeable
    record Table(String source, String basis, Map<String, String> units, Map<String, Map<String, Object>> foods) {
    }

    /** One food's facts and where they come from. */
    record Facts(String food, String ndb, String description, Map<String, Double> per100g) {

        String citation() {
            return "USDA SR27 / FoodData Central SR Legacy, NDB " + ndb + " (" + description + ")";
        }
    }

    private final Map<String, Facts> foods = new LinkedHashMap<>();
    private final Map<String, String> units;

    NutritionFacts(JsonMapper json) {
        Table table = BundledTable.read(json, "nutrition-facts.json", Table.class);
        if (!table.units().keySet().equals(Set.copyOf(NUTRIENTS))) {
            throw new IllegalStateException("nutrition-facts.json must give a unit for exactly " + NUTRIENTS);
        }
        units = Map.copyOf(table.units());
        table.foods().forEach((food, row) -> foods.put(food, facts(food, row)));
    }

    Optional<Facts> of(String food) {
        return Optional.ofNullable(foods.get(food));
    }

    Set<String> foods() {
        return foods.keySet();
    }

    Map<String, String> units() {
        return units;
    }

    private static Facts facts(String food, Map<String, Object> row) {
        Map<String, Double> per100g = new LinkedHashMap<>();
        for (String nutrient : NUTRIENTS) {
            if (!(row.get(nutrient) instanceof Number value) || value.doubleValue() < 0) {
                throw new IllegalStateException("nutrition-facts.json: " + food + " lacks a value for " + nutrient);
            }
            per100g.put(nutrient, value.doubleValue());
        }
        return new Facts(food, String.valueOf(row.get("ndb")), String.valueOf(row.get("description")),
                Collections.unmodifiableMap(per100g));
    }
}
