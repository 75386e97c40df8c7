package dev.herald.loadtest.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Benchmark accounts, made through the admin API and signed in, many at a time. Names are fixed
 * ({@code prefix + index}) so a later run against the same database reuses them (409 means: exists).
 * The API rather than SQL so the accounts are exactly what Herald makes; with bcrypt cost 4 on the
 * benchmark server 19,000 of them take well under a minute.
 */
public final class UserPool {

    public static final String PASSWORD = "loadtest-user-password";

    private final HeraldRest rest;
    private final String adminToken;
    private final int concurrency;

    public UserPool(HeraldRest rest, String adminToken, int concurrency) {
        this.rest = rest;
        this.adminToken = adminToken;
        this.concurrency = concurrency;
    }

    public List<BenchUser> users(String prefix, int count) {
        return each(count, index -> {
            String username = prefix + index;
            rest.createUser(adminToken, username, PASSWORD, List.of("user"));
            String token = rest.login(username, PASSWORD);
            return new BenchUser(HeraldRest.userIdOf(token), username, token);
        });
    }

    private <T> List<T> each(int count, IntFunction<T> work) {
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
            List<Future<T>> futures = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> work.apply(index)));
            }
            List<T> results = new ArrayList<>(count);
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException("could not prepare benchmark users", e);
        }
    }
}
