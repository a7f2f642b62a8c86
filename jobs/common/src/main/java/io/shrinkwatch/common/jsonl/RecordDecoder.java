package io.shrinkwatch.common.jsonl;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns one parsed JSON object into a record, or names the field that stops it. */
@FunctionalInterface
public interface RecordDecoder<T> {
    T decode(JsonNode node) throws FieldException;
}
