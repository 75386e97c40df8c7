package dev.herald.desktop.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code session.json} in the config directory. It holds a refresh token, which is as good as the password
 * for 30 days, so the file is created owner-only (POSIX 600) before anything is written into it.
 */
public final class SessionFile {

    private static final Logger LOG = Logger.getLogger(SessionFile.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Path file;

    public SessionFile(Path directory) {
        this.file = directory.resolve("session.json");
    }

    public Path path() {
        return file;
    }

    public Optional<SavedSession> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), SavedSession.class));
        } catch (IOException e) {
            LOG.warning("Ignoring unreadable " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    public void save(SavedSession session) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling("session.json.tmp");
            Files.deleteIfExists(temporary);
            if (posix()) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(temporary);
            }
            Files.write(temporary, JSON.writeValueAsBytes(session));
            // Replace in one step so a crash never leaves half a token file behind.
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
