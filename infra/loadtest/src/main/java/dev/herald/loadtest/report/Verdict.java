package dev.herald.loadtest.report;

/** Whether a figure met its target; figures without a target are only informative. */
public enum Verdict {
    PASS, MISS, INFO
}
