package dev.herald.desktop.session;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the client keeps its files: {@code HERALD_CONFIG_DIR} (or the {@code herald.config.dir} property) when
 * set, else the platform's per-user config directory.
 */
public final class ConfigDirectory {

    private ConfigDirectory() {
    }

    public static Path resolve() {
        String override = System.getProperty("herald.config.dir", System.getenv("HERALD_CONFIG_DIR"));
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return forPlatform(System.getProperty("os.name", ""), System.getProperty("user.home"), System.getenv());
    }

    static Path forPlatform(String osName, String home, Map<String, String> env) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = env.get("APPDATA");
            return appData != null ? Path.of(appData, "Herald") : Path.of(home, "AppData", "Roaming", "Herald");
        }
        if (os.contains("mac")) {
            return Path.of(home, "Library", "Application Support", "Herald");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "herald") : Path.of(home, ".config", "herald");
    }
}
