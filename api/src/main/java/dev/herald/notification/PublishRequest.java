package dev.herald.notification;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * What a publisher sends: the content of a notification and who gets it. Exactly one of the recipient
 * fields is given: one user ({@code userId}, {@code username}), many ({@code userIds}, {@code usernames};
 * each gets a notification of their own), or {@code "audience": "all"}, every user (admins only).
 * {@code idempotencyKey} is for batch items; a single request gives its key in the Idempotency-Key header.
 */
@Serdeable
public record PublishRequest(@Nullable @Positive Long userId,
                             @Nullable @Size(min = 1, max = 64) String username,
                             @Nullable List<@NotNull @Positive Long> userIds,
                             @Nullable List<@NotBlank @Size(max = 64) String> usernames,
                             @Nullable @Pattern(regexp = AUDIENCE_ALL, message = "must be \"all\"") String audience,
                             @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:-]{1,64}",
                                     message = "must be 1 to 64 letters, digits or _ . : -") String type,
                             @NotBlank @Size(max = 200) String title,
                             @Nullable @Size(max = 4000) String message,
                             @Nullable Map<String, Object> data,
                             @Nullable @Min(1) @Max(5) Integer priority,
                             @Nullable List<@NotBlank @Size(max = 64) String> tags,
                             @Nullable @Size(min = 1, max = 200) String idempotencyKey) {

    static final int DEFAULT_PRIORITY = 3;
    static final String AUDIENCE_ALL = "all";

    /** A request for one user, as Herald's own features publish. */
    public static PublishRequest toUser(long userId, String type, String title, @Nullable String message,
                                        @Nullable Map<String, Object> data, @Nullable Integer priority,
                                        @Nullable List<String> tags) {
        return new PublishRequest(userId, null, null, null, null, type, title, message, data, priority, tags, null);
    }

    /** How many recipient fields are given: exactly one is valid. */
    @JsonIgnore
    int recipientFields() {
        int given = 0;
        for (Object field : new Object[]{userId, username, userIds, usernames, audience}) {
            if (field != null) {
                given++;
            }
        }
        return given;
    }

    @JsonIgnore
    boolean isBroadcast() {
        return audience != null;
    }

    @JsonIgnore
    boolean hasRecipientList() {
        return userIds != null || usernames != null;
    }

    /** How many notifications this request asks for, a broadcast aside: what rate limits count. */
    @JsonIgnore
    int recipientCount() {
        if (userIds != null) {
            return userIds.size();
        }
        return usernames != null ? usernames.size() : 1;
    }

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
