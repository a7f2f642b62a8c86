package io.shrinkwatch.detection;

import io.shrinkwatch.schema.PatternModel;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The detection job between Kafka topics: the production wiring of {@link DetectionJob}, used by the
 * {@code stream} command and by {@code KafkaDetectionITCase}.
 *
 * @param bootstrap Kafka bootstrap servers
 * @param primitivesTopic Avro {@code PrimitiveEvent}s
 * @param tlogTopic Avro {@code TLogEvent}s
 * @param alertsTopic Avro {@code FakeScanAlert}s, written exactly once (with
 *     {@link DetectionOptions#PROVISIONAL_ALERTS} on, {@code ProvisionalAlert}s too, to
 *     {@link DetectionOptions#PROVISIONAL_TOPIC})
 * @param deadLetterTopic unreadable input records as JSON lines with the reason
 * @param lateTopic events that arrived too far behind the watermark, as JSON lines with the reason and the event
 * @param metricsTopic shrink metrics per store, lane and cashier and window, as JSON lines
 * @param modelTopic compacted topic of model updates (Avro container bytes), or null to keep the start model
 * @param incidentsTopic Avro {@code ConfirmedIncident}s to archive with the sequences, or null; read only when
 *     {@link DetectionOptions#ARCHIVE_DIR} is set
 * @param groupId consumer group of the sources
 * @param bounded stop at the offsets that are latest at start (backtests) instead of running forever
 */
public record KafkaPipeline(String bootstrap, String primitivesTopic, String tlogTopic, String alertsTopic,
        String deadLetterTopic, String lateTopic, String metricsTopic, String modelTopic, String incidentsTopic, String groupId, boolean bounded) {

    /**
     * Adds sources, the detection graph and sinks to {@code env}; returns the job's outputs for more sinks.
     *
     * @param tables the PostgreSQL result tables to write too, or null (their migrations must be applied already)
     */
    public DetectionJob.Outputs build(StreamExecutionEnvironment env, PatternModel model, ReadableConfig config,
            ResultTables tables) {
        java.time.Duration maxLead = config.get(DetectionOptions.MAX_CLOCK_LEAD);
        DataStream<LaneEvent> prims = env.fromSource(KafkaWiring.source(bootstrap, primitivesTopic, groupId,
                AvroEventDeserializer.primitives().withMaxLead(maxLead), bounded), DetectionJob.watermarks(config),
                "primitives-kafka").uid("primitives-kafka");
        DataStream<LaneEvent> tlog = env.fromSource(KafkaWiring.source(bootstrap, tlogTopic, groupId,
                AvroEventDeserializer.tlog().withMaxLead(maxLead), bounded), DetectionJob.watermarks(config),
                "tlog-kafka").uid("tlog-kafka");
        DataStream<byte[]> models = modelTopic == null ? null
                : env.fromSource(KafkaWiring.modelSource(bootstrap, modelTopic, groupId + "-models", bounded),
                        org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(), "models-kafka")
                        .uid("models-kafka");
        DetectionJob.Outputs outs = new DetectionJob(model, config).wire(prims, tlog, models);
        String archive = config.get(DetectionOptions.ARCHIVE_DIR);
        if (archive != null) {
            DataStream<LaneEvent> incidents = incidentsTopic == null ? null
                    : env.fromSource(KafkaWiring.source(bootstrap, incidentsTopic, groupId,
                            AvroEventDeserializer.incidents(), bounded),
                            org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(), "incidents-kafka")
                            .uid("incidents-kafka");
            outs = DetectionJob.archive(outs, incidents, archive);
        }
        outs.alerts().sinkTo(KafkaWiring.alertSink(bootstrap, alertsTopic, groupId + "-alerts")).name("alerts-kafka")
                .uid("alerts-kafka");
        if (config.get(DetectionOptions.PROVISIONAL_ALERTS)) {
            outs.provisional().sinkTo(KafkaWiring.provisionalSink(bootstrap,
                    config.get(DetectionOptions.PROVISIONAL_TOPIC), groupId + "-provisional",
                    config.get(DetectionOptions.PROVISIONAL_DELIVERY)))
                    .name("provisional-alerts-kafka").uid("provisional-alerts-kafka");
        }
        outs.deadLetters().sinkTo(KafkaWiring.deadLetterSink(bootstrap, deadLetterTopic, groupId + "-dead-letters"))
                .name("dead-letters-kafka").uid("dead-letters-kafka");
        outs.late().sinkTo(KafkaWiring.deadLetterSink(bootstrap, lateTopic, groupId + "-late")).name("late-kafka")
                .uid("late-kafka");
        DataStream<ShrinkMetrics> metrics = MetricsJob.wire(outs.verdicts(), config.get(DetectionOptions.METRIC_WINDOWS));
        if (tables != null) {
            tables.attach(outs, metrics);
            if (config.get(DetectionOptions.PROVISIONAL_ALERTS)) {
                tables.attachProvisional(outs.provisional());
            }
        }
        metrics.map(ShrinkMetrics::toJson).name("metrics-json").uid("metrics-json")
                .sinkTo(KafkaWiring.deadLetterSink(bootstrap, metricsTopic, groupId + "-metrics"))
                .name("metrics-kafka").uid("metrics-kafka");
        return outs;
    }
}
