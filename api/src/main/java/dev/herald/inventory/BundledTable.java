package dev.herald.inventory;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads one of the JSON tables bundled under {@code /inventory}; a missing or broken table fails start-up. */
final class BundledTable {

    private BundledTable() {
    }

    static <T> T read(JsonMapper json, String name, Class<T> type) {
        String path = "/inventory/" + name;
        try (InputStream in = BundledTable.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The bundled table " + path + " is missing");
            }
            return json.readValue(in.readAllBytes(), Argument.of(type));
        } catch (IOException e) {
            throw new UncheckedIOException("The bundled table " + path + " cannot be read", e);
        }
    }
}
