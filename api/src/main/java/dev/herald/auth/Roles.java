package dev.herald.auth;

/** The roles Herald knows. Every account has {@link #USER}; the others grant more. */
public final class Roles {

    public static final String USER = "user";
    public static final String PUBLISHER = "publisher";
    public static final String ADMIN = "admin";
    /** May trigger scheduled jobs such as the expiry check, for a cron job that runs them from outside. */
    public static final String SCHEDULER = "scheduler";

    private Roles() {
    }
}
