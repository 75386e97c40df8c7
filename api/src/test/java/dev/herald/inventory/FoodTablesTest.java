package dev.herald.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.json.JsonMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bundled tables, read as the application reads them. */
class FoodTablesTest {

    static final JsonMapper JSON = JsonMapper.createDefault();
    static final NutritionFacts NUTRITION = new NutritionFacts(JSON);
    static final ShelfLife SHELF_LIFE = new ShelfLife(JSON);
    static final FoodLabels LABELS = new FoodLabels(NUTRITION, JSON);

    @Test
    void everyFoodHasNutritionFactsAndAShelfLifeAndThereAreEnoughOfThem() {
        assertThat(NUTRITION.foods()).hasSizeBetween(30, 60).containsExactlyInAnyOrderElementsOf(SHELF_LIFE.foods());
        assertThat(NUTRITION.foods()).contains("apple", "banana", "orange", "milk", "bread", "egg", "cheese",
                "yoghurt", "chicken", "carrot", "tomato");
        assertThat(NUTRITION.units()).containsEntry("energy_kcal", "kcal").containsEntry("sodium", "mg").hasSize(13);
        for (String food : NUTRITION.foods()) {
            NutritionFacts.Facts facts = NUTRITION.of(food).orElseThrow();
            assertThat(facts.per100g().keySet()).as(food).containsExactlyElementsOf(NutritionFacts.NUTRIENTS);
            assertThat(facts.ndb()).as(food).matches("\\d{5}");
            assertThat(SHELF_LIFE.of(food).orElseThrow().days()).as(food).isPositive();
        }
    }

    @Test
    void figuresAreTheUsdaOnesForWellKnownFoods() {
        assertThat(NUTRITION.of("banana").orElseThrow().per100g()).containsEntry("energy_kcal", 89.0)
                .containsEntry("potassium", 358.0);
        assertThat(NUTRITION.of("egg").orElseThrow().per100g()).containsEntry("cholesterol", 372.0)
                .containsEntry("protein", 12.56);
    }

    @ParameterizedTest
    @CsvSource({"apple,apple", "Apples,apple", "TOMATOES,tomato", "cherries,cherry", "blueberries,blueberry",
            "peaches,peach", "mangoes,mango", "Bell-Peppers,bell pepper", "bell_pepper,bell pepper", "yogurt,yoghurt",
            "chicken breasts,chicken", "Orange Juice,orange juice", "eggs,egg", "grapes,grape", "potatoes,potato"})
    void labelsFindTheirFood(String label, String food) {
        assertThat(LABELS.foodOf(label)).contains(food);
    }

    @ParameterizedTest
    @CsvSource({"dragonfruit", "s", "es", "apple pie", "car"})
    void otherLabelsFindNothing(String label) {
        assertThat(LABELS.foodOf(label)).isEqualTo(Optional.empty());
    }
}
