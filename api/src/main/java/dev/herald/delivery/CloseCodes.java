package dev.herald.delivery;

/** Close codes of the native protocol; clients decide from these whether and how to reconnect. */
final class CloseCodes {

    static final int NORMAL = 1000;
    /** Server going away (shutdown, deploy): reconnect, possibly to another node. */
    static final int GOING_AWAY = 1001;
    /** The client sent a binary frame: the native protocol is text. */
    static final int UNSUPPORTED_DATA = 1003;
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    /** Missing, invalid or expired credential: get a fresh token before reconnecting. */
    static final int UNAUTHORIZED = 4001;
    /** The client fell behind: reconnect and resume from the last seq it saw. */
    static final int TOO_SLOW = 4008;
    static final int TOO_MANY_CONNECTIONS = 4029;

    private CloseCodes() {
    }
}
