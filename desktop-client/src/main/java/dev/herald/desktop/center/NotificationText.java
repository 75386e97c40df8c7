package dev.herald.desktop.center;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How a notification's time and priority read on screen, in the center and on toasts alike. */
public final class NotificationText {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy");

    private NotificationText() {
    }

    public static String relativeTime(Instant when, Instant now) {
        Duration age = Duration.between(when, now);
        if (age.toSeconds() < 45) {
            return "just now";
        }
        if (age.toMinutes() < 60) {
            return Math.max(1, age.toMinutes()) + " min ago";
        }
        if (age.toHours() < 24) {
            return age.toHours() + " h ago";
        }
        if (age.toDays() < 7) {
            return age.toDays() + " d ago";
        }
        return DATE.format(when.atZone(ZoneId.systemDefault()));
    }

    /** Herald's priorities run 1 (lowest) to 5 (urgent); 3 is the default and needs no label. */
    public static String priority(int priority) {
        return switch (priority) {
            case 5 -> "Urgent";
            case 4 -> "High";
            case 2 -> "Low";
            case 1 -> "Lowest";
            default -> "Normal";
        };
    }

    public static String priorityStyle(int priority) {
        return switch (priority) {
            case 5 -> "-fx-text-fill: white; -fx-background-color: #c62828;";
            case 4 -> "-fx-text-fill: white; -fx-background-color: #ef6c00;";
            case 1, 2 -> "-fx-text-fill: #455a64; -fx-background-color: #eceff1;";
            default -> "-fx-text-fill: #1e63b4; -fx-background-color: #e3f2fd;";
        } + " -fx-padding: 1 6 1 6; -fx-background-radius: 8; -fx-font-size: 10px;";
    }
}
