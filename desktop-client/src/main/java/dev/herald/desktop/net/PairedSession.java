package dev.herald.desktop.net;

/** What the pairing stream hands over once the phone has scanned the code: this device's own tokens. */
public record PairedSession(Tokens tokens, String username, long userId) {
}
