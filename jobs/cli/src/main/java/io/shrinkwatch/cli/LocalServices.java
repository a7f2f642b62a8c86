package io.shrinkwatch.cli;

import io.shrinkwatch.localkafka.LocalKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;

/**
 * The services of {@code run}: a KRaft Kafka broker and a PostgreSQL server started from Maven artifacts on
 * 127.0.0.1 and free ports, unless external ones are given. Closing stops what was started and removes its data.
 */
final class LocalServices implements AutoCloseable {

    private final KafkaClusterTestKit kafka;
    private final EmbeddedPostgres postgres;
    final String bootstrap;
    final String jdbcUrl;
    final String jdbcUser;
    final String jdbcPassword;

    private LocalServices(KafkaClusterTestKit kafka, EmbeddedPostgres postgres, String bootstrap, String jdbcUrl,
            String jdbcUser, String jdbcPassword) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.bootstrap = bootstrap;
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.jdbcPassword = jdbcPassword;
    }

    /**
     * @param kafkaBootstrap external brokers, or null to start one
     * @param jdbcUrl external PostgreSQL, or null to start one with its data under {@code workDir}
     */
    static LocalServices start(String kafkaBootstrap, String jdbcUrl, String jdbcUser, String jdbcPassword,
            Path workDir) throws Exception {
        KafkaClusterTestKit kafka = null;
        EmbeddedPostgres pg = null;
        try {
            String bootstrap = kafkaBootstrap;
            if (bootstrap == null) {
                kafka = LocalKafka.start();
                bootstrap = kafka.bootstrapServers();
            }
            String url = jdbcUrl;
            String user = jdbcUser;
            String password = jdbcPassword;
            if (url == null) {
                pg = EmbeddedPostgres.builder().setDataDirectory(workDir.resolve("postgres"))
                        .setCleanDataDirectory(true).start();
                url = pg.getJdbcUrl("postgres", "postgres");
                user = "postgres";
                password = "";
            }
            return new LocalServices(kafka, pg, bootstrap, url, user, password);
        } catch (Exception e) {
            if (kafka != null) {
                kafka.close();
            }
            if (pg != null) {
                pg.close();
            }
            throw e;
        }
    }

    boolean startedKafka() {
        return kafka != null;
    }

    boolean startedPostgres() {
        return postgres != null;
    }

    /** Creates the topics the run uses (the model topic compacted); existing ones are left as they are. */
    void createTopics(List<String> topics, String compacted, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            var existing = admin.listTopics().names().get();
            List<NewTopic> create = new java.util.ArrayList<>();
            for (String t : topics) {
                if (!existing.contains(t)) {
                    create.add(new NewTopic(t, partitions, (short) 1));
                }
            }
            if (!existing.contains(compacted)) {
                create.add(new NewTopic(compacted, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
            }
            admin.createTopics(create).all().get();
        }
    }

    /** The first port of {@code [from, to]} free on 127.0.0.1 now, or 0 when none is. */
    static int firstFreePort(int from, int to) {
        for (int port = from; port <= to; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                return port;
            } catch (IOException taken) {
                // try the next
            }
        }
        return 0;
    }

    /** Fails with a clear message when a fixed port is taken. */
    static void requireFreePort(int port, String what, String flag) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalArgumentException("port " + port + " for the " + what + " is in use; pick another with "
                    + flag + " (or stop what holds it)");
        }
    }

    @Override
    public void close() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
