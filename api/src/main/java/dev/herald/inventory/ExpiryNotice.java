package dev.herald.inventory;

/**
 * The two notices a product gets, each at most once: a warning a lead time before it expires, and the
 * notice that it has. {@code type} is the notification type clients see.
 */
enum ExpiryNotice {

    EXPIRING("product_expiring", "expiring"),
    EXPIRED("product_expiration", "expired");

    private final String type;
    private final String keySuffix;

    ExpiryNotice(String type, String keySuffix) {
        this.type = type;
        this.keySuffix = keySuffix;
    }

    String type() {
        return type;
    }

    /**
     * The idempotency key of this notice for the product: the same on every node and every run, so the
     * notification table's unique key lets at most one such notification exist.
     */
    String idempotencyKey(long productId) {
        return "expiry:" + productId + ":" + keySuffix;
    }
}
