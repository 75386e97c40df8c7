package dev.herald.inventory;

import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How many days common foods keep at home, from the bundled {@code inventory/shelf-life.json}: the expiry
 * a scan gets when the detector reported none.
 */
@Singleton
final class ShelfLife {

    @Serdeable
    record Keeps(int days, String storage) {
    }

    @Serdeable
    record Table(String source, Map<String, Keeps> foods) {
    }

    private final Map<String, Keeps> foods;

    ShelfLife(JsonMapper json) {
        foods = Map.copyOf(BundledTable.read(json, "shelf-life.json", Table.class).foods());
        foods.forEach((food, keeps) -> {
            if (keeps.days() < 0) {
                throw new IllegalStateException("shelf-life.json: " + food + " keeps a negative number of days");
            }
        });
    }

    Optional<Keeps> of(String food) {
        return Optional.ofNullable(foods.get(food));
    }

    Set<String> foods() {
        return foods.keySet();
    }
}
