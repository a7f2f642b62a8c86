package io.shrinkwatch.common.jsonl;

/** A field of one JSON record is missing or invalid. */
public final class FieldException extends Exception {

    private static final long serialVersionUID = 1L;
    private final String field;

    public FieldException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
