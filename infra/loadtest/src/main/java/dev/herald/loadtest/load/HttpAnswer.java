package dev.herald.loadtest.load;

/** A response as the load needs it: the status, and the body only when it is an error worth showing. */
public record HttpAnswer(int status, String errorBody) {

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
