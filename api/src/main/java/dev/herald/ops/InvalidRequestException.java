package dev.herald.ops;

/** Input that passed bean validation but is still wrong, such as a field that conflicts with another. */
public final class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
