package dev.herald.ops;

import java.nio.file.Path;
import java.util.Locale;

/** The per-user directory where desktop software keeps its data, by the conventions of each OS. */
final class UserDataDirectory {

    private UserDataDirectory() {
    }

    static Path forApplication(String name) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Path home = Path.of(System.getProperty("user.home"));
        if (os.contains("win")) {
            String localAppData = System.getenv("LOCALAPPDATA");
            return (localAppData != null ? Path.of(localAppData) : home.resolve("AppData/Local")).resolve(name);
        }
        if (os.contains("mac")) {
            return home.resolve("Library/Application Support").resolve(name);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share");
        return base.resolve(name.toLowerCase(Locale.ROOT));
    }
}
