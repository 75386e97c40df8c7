package dev.herald.notification;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/** What a publisher sends to create a notification for one user, named by id or by username. */
@Serdeable
public record PublishRequest(@Nullable @Positive Long userId,
                             @Nullable @Size(min = 1, max = 64) String username,
                             @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:-]{1,64}",
                                     message = "must be 1 to 64 letters, digits or _ . : -") String type,
                             @NotBlank @Size(max = 200) String title,
                             @Nullable @Size(max = 4000) String message,
                             @Nullable Map<String, Object> data,
                             @Nullable @Min(1) @Max(5) Integer priority,
                             @Nullable List<@NotBlank @Size(max = 64) String> tags) {

    static final int DEFAULT_PRIORITY = 3;

    int priorityOrDefault() {
        return priority == null ? DEFAULT_PRIORITY : priority;
    }

    String messageOrEmpty() {
        return message == null ? "" : message;
    }

    Map<String, Object> dataOrEmpty() {
        return data == null ? Map.of() : data;
    }

    List<String> tagsOrEmpty() {
        return tags == null ? List.of() : tags;
    }
}
