package io.shrinkwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * Every operator of the production job graph carries a uid of its own, so a savepoint restores into a rebuilt or
 * changed job (Flink's generated ids change with the graph's shape).
 */
class OperatorUidsTest {

    @Test
    void everyOperatorOfTheProductionGraphHasAUidOfItsOwn() {
        Configuration conf = new Configuration();
        conf.set(DetectionOptions.PROVISIONAL_ALERTS, true);
        conf.set(DetectionOptions.ARCHIVE_DIR, "file:///tmp/shrinkwatch-uid-test-archive");
        for (String modelTopic : new String[] {"models", null}) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            new KafkaPipeline("127.0.0.1:9", "primitives", "tlog", "alerts", "dead-letters", "late", "metrics",
                    modelTopic, "incidents", "job", false)
                    .build(env, LaneDetectorFunctionTest.model(), conf,
                            new ResultTables("jdbc:postgresql://127.0.0.1:9/none", "u", ""));
            List<StreamNode> nodes = List.copyOf(env.getStreamGraph().getStreamNodes());
            assertThat(nodes).hasSizeGreaterThan(20);
            assertThat(nodes).as("operators without a uid, model topic %s", modelTopic)
                    .filteredOn(n -> n.getTransformationUID() == null).extracting(StreamNode::getOperatorName)
                    .isEmpty();
            assertThat(nodes.stream().map(StreamNode::getTransformationUID).distinct().count())
                    .as("uids are unique").isEqualTo(nodes.size());
        }
    }
}
