package io.shrinkwatch.common.jsonl;

/** Thrown in strict mode at the first bad line; the message names file, line and field. */
public final class BadInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient BadLine badLine;

    public BadInputException(BadLine badLine) {
        super(badLine.toString());
        this.badLine = badLine;
    }

    public BadLine badLine() {
        return badLine;
    }
}
