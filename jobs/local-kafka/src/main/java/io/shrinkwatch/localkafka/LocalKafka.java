package io.shrinkwatch.localkafka;

import java.io.OutputStream;
import java.io.PrintStream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** Starts a one-node KRaft broker on 127.0.0.1 in this JVM, with single-replica internal topics. */
public final class LocalKafka {

    private LocalKafka() {
    }

    /** A started, ready broker; {@code bootstrapServers()} gives its address, {@code close()} stops it. */
    public static KafkaClusterTestKit start() throws Exception {
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                // Consumers on a fresh broker would otherwise wait the default 3 s before their first assignment.
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            // Formatting prints the bootstrap metadata to standard output, which carries the callers' reports.
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                kafka.format();
            } finally {
                System.setOut(stdout);
            }
            kafka.startup();
            kafka.waitForReadyBrokers();
            return kafka;
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }
}
