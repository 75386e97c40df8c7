package dev.herald.loadtest.rest;

/** A benchmark account and a valid access token for it. */
public record BenchUser(long id, String username, String token) {
}
