package dev.herald.loadtest.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Benchmark users and their tokens kept in a file between runs against the same database
 * ({@code --token-cache FILE}): signing 19,000 users in again costs each run minutes of bcrypt on the
 * server under test. The tokens are checked against the server before they are used.
 */
public final class TokenCache {

    private final Path file;

    public TokenCache(Path file) {
        this.file = file;
    }

    /** The cached users with this prefix, if there are at least {@code count} and the server still accepts them. */
    public Optional<List<BenchUser>> load(String prefix, int count, HeraldRest rest) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        List<BenchUser> users = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.split("\t");
                if (fields.length == 3 && fields[1].startsWith(prefix) && users.size() < count
                        && fields[1].substring(prefix.length()).chars().allMatch(Character::isDigit)) {
                    users.add(new BenchUser(Long.parseLong(fields[0]), fields[1], fields[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        users.sort(Comparator.comparingInt(user -> Integer.parseInt(user.username().substring(prefix.length()))));
        if (users.size() < count || !accepted(users.getFirst(), rest) || !accepted(users.getLast(), rest)) {
            return Optional.empty();
        }
        return Optional.of(users);
    }

    public void save(List<BenchUser> users) {
        List<String> lines = new ArrayList<>();
        try {
            if (Files.exists(file)) {
                List<String> names = users.stream().map(BenchUser::username).toList();
                Set<String> fresh = new HashSet<>(names);
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.split("\t");
                    if (fields.length == 3 && !fresh.contains(fields[1])) {
                        lines.add(line);
                    }
                }
            }
            users.forEach(user -> lines.add(user.id() + "\t" + user.username() + "\t" + user.token()));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepted(BenchUser user, HeraldRest rest) {
        return rest.get("/api/users/me", user.token()).statusCode() == 200;
    }
}
