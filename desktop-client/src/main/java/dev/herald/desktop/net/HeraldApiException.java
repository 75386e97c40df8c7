package dev.herald.desktop.net;

/** The server answered with an error status, or could not be reached ({@code status} 0). */
public final class HeraldApiException extends RuntimeException {

    private final int status;

    public HeraldApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public HeraldApiException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }

    public boolean unauthorized() {
        return status == 401;
    }
}
