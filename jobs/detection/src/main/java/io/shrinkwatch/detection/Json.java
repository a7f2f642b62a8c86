package io.shrinkwatch.detection;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the job's text outputs (dead letters, metrics lines). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
