package io.shrinkwatch.detection;

import java.util.Collection;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.state.rocksdb.ConfigurableRocksDBOptionsFactory;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;

/**
 * RocksDB options of the detection job: a bounded MANIFEST.
 *
 * <p>RocksDB logs every flush and compaction to its MANIFEST and rolls it only past {@code max_manifest_file_size}
 * (1 GB by default). Flink ships the MANIFEST with every RocksDB checkpoint, full or incremental, so with the lane
 * operator's steady rewriting (each settle rewrites a lane's buffer and clock history) the checkpoint grew with the
 * job's age: measured with {@code StateGrowth}, 200 lanes over a simulated day, the MANIFEST reached 3 MB, about
 * 15 KB per lane against 3-8 KB of live state. A rolled MANIFEST starts from a snapshot of the live file set, so a
 * small limit bounds it. Set as {@code state.backend.rocksdb.options-factory} in {@code flink-conf/config.yaml};
 * local runs set it with {@link #applyTo(Configuration)}.
 */
public class RocksDbOptions implements ConfigurableRocksDBOptionsFactory {

    private static final long serialVersionUID = 1L;

    public static final ConfigOption<MemorySize> MAX_MANIFEST_SIZE = ConfigOptions
            .key("shrinkwatch.rocksdb.max-manifest-size").memoryType().defaultValue(MemorySize.ofMebiBytes(1))
            .withDescription("RocksDB rolls its MANIFEST past this size; every checkpoint ships the MANIFEST, so it "
                    + "bounds what the checkpoint carries beyond the state (RocksDB's default is 1 GB).");

    private long maxManifestBytes = MAX_MANIFEST_SIZE.defaultValue().getBytes();

    /** Uses these options wherever {@code conf} runs RocksDB (local runs; clusters read config.yaml). */
    public static Configuration applyTo(Configuration conf) {
        conf.set(RocksDBOptions.OPTIONS_FACTORY, RocksDbOptions.class.getName());
        return conf;
    }

    public long maxManifestBytes() {
        return maxManifestBytes;
    }

    @Override
    public RocksDBOptionsFactory configure(ReadableConfig config) {
        maxManifestBytes = config.get(MAX_MANIFEST_SIZE).getBytes();
        return this;
    }

    @Override
    public DBOptions createDBOptions(DBOptions current, Collection<AutoCloseable> handlesToClose) {
        return current.setMaxManifestFileSize(maxManifestBytes);
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions current, Collection<AutoCloseable> handles) {
        return current;
    }
}
