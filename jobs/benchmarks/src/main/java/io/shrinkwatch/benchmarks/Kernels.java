package io.shrinkwatch.benchmarks;

import io.shrinkwatch.algorithm.classify.VoteClassifier;
import io.shrinkwatch.algorithm.detect.Detector;
import io.shrinkwatch.algorithm.lane.LaneSequenceBuilder;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.algorithm.selection.PatternSelector;
import io.shrinkwatch.algorithm.selection.SelectedPattern;
import io.shrinkwatch.algorithm.teiresias.DiscoveredPattern;
import io.shrinkwatch.algorithm.teiresias.SolidTeiresias;
import io.shrinkwatch.algorithm.teiresias.TeiresiasParams;
import io.shrinkwatch.algorithm.weights.SvmWeights;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.PatternEntry;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.simulator.PriceCatalog;
import io.shrinkwatch.simulator.Simulator;
import io.shrinkwatch.simulator.SimulatorConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue #6, benchmark 4: the algorithm kernels under JMH. Voting and segmentation per primitive, the Teiresias walk
 * the miner runs (checkout prefixes only, L = W = 3, K = 2) and a full solid Teiresias run for comparison, at the
 * paper's 1,660 transactions and at 10k and 100k, and the 100-split SVM weight training at the paper's scale. Input:
 * simulated 6-lane, 16-hour store days (seed 42 onwards). Run with {@code java -cp jobs/benchmarks/target/benchmarks.jar
 * org.openjdk.jmh.Main Kernels} (about 10 minutes; add {@code -p transactions=1660} for a quick look).
 */
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class Kernels {

    /** Primitives per classification batch: the unit {@link #classifyPerPrimitive} divides by. */
    static final int BATCH = 10_000;

    static List<TransactionSequence> days(int firstSeed, int minTransactions) {
        PriceCatalog catalog = PriceCatalog.bundled();
        List<TransactionSequence> out = new ArrayList<>();
        for (int d = 0; out.size() < minTransactions; d++) {
            Simulator.StoreOutput o = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, firstSeed + d),
                    catalog).simulateStore(0);
            out.addAll(new LaneSequenceBuilder().buildEstimatingClocks(o.primitives(), o.tlog(),
                    new LaneSequenceBuilder.Stats()));
        }
        return out;
    }

    /** A mined model and exactly {@link #BATCH} primitives of the next day's transactions. */
    @State(Scope.Benchmark)
    public static class Classify {
        Detector detector;
        VoteClassifier voter;
        List<TransactionSequence> batch = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            Simulator.StoreOutput train = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 42),
                    PriceCatalog.bundled()).simulateStore(0);
            PatternModel model = new Miner().mine(AlgorithmBenchmark.sequences(train), train.incidents(),
                    MiningOptions.defaults(), 0, m -> { }).model();
            detector = Detector.of(model);
            List<String> pos = new ArrayList<>();
            List<String> neg = new ArrayList<>();
            for (PatternEntry e : model.getPatterns()) {
                pos.add(e.getPositive());
                neg.add(e.getNegative());
            }
            voter = new VoteClassifier(pos, neg, ModelIo.weights(model, model.getDefaultScheme()),
                    model.getThreshold());
            int left = BATCH;
            for (TransactionSequence t : days(43, 1)) {
                if (left == 0) {
                    break;
                }
                int n = Math.min(left, t.length());
                long[] times = Arrays.copyOf(t.times(), n);
                batch.add(n == t.length() ? t : new TransactionSequence(t.storeId(), t.laneId(), t.txnId(),
                        t.cashierId(), t.symbols().substring(0, n), times, new long[n]));
                left -= n;
            }
        }
    }

    /** Voting and classification alone (one Aho-Corasick pass, posteriors, labels), per primitive. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void votePerPrimitive(Classify s, Blackhole bh) {
        for (TransactionSequence t : s.batch) {
            bh.consume(s.voter.classify(t.symbols()));
        }
    }

    /** Voting, classification and segmentation into true and fake scans, per primitive. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void classifyPerPrimitive(Classify s, Blackhole bh) {
        for (TransactionSequence t : s.batch) {
            bh.consume(s.detector.detect(t));
        }
    }

    /** Transactions of {@code transactions} (at least; whole store days) simulated ones. */
    @State(Scope.Benchmark)
    public static class Corpus {
        @Param({"1660", "10000", "100000"})
        public int transactions;
        List<String> sequences;

        @Setup(Level.Trial)
        public void setUp() {
            sequences = symbols(transactions);
        }
    }

    /** The symbol strings of the first {@code n} transactions of simulated store days from seed 42. */
    static List<String> symbols(int n) {
        return days(42, n).subList(0, n).stream().map(TransactionSequence::symbols).toList();
    }

    /** The miner's pattern discovery: one L = W = 3 walk over checkout prefixes (covers L = W 3..10). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<DiscoveredPattern> teiresiasCheckoutWalk(Corpus c) {
        return new SolidTeiresias().discover(c.sequences, TeiresiasParams.solid(3, 2), PatternSelector.CHECKOUT_SHAPE);
    }

    /** Paper-scale and 10k corpora only: the unrestricted run reports millions of patterns at 100k. */
    @State(Scope.Benchmark)
    public static class SmallCorpus {
        @Param({"1660", "10000"})
        public int transactions;
        List<String> sequences;

        @Setup(Level.Trial)
        public void setUp() {
            sequences = symbols(transactions);
        }
    }

    /** One full solid Teiresias run, L = W = 3, every maximal pattern (what the miner ran eight times before). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public List<DiscoveredPattern> teiresiasFullRun(SmallCorpus c) {
        return new SolidTeiresias().discover(c.sequences, TeiresiasParams.solid(3, 2));
    }

    /** The SVM inputs at the paper's scale: 1,660 transactions, their selected patterns and confirmed incidents. */
    @State(Scope.Benchmark)
    public static class Svm {
        List<SelectedPattern> patterns;
        List<String> sequences;
        List<SvmWeights.Anchor> anchors = new ArrayList<>();
        MiningOptions options = MiningOptions.defaults();

        @Setup(Level.Trial)
        public void setUp() {
            Simulator.StoreOutput day = new Simulator(SimulatorConfig.defaults().withSize(1, 6, 16, 42),
                    PriceCatalog.bundled()).simulateStore(0);
            List<TransactionSequence> txns = AlgorithmBenchmark.sequences(day).subList(0, 1_660);
            sequences = txns.stream().map(TransactionSequence::symbols).toList();
            patterns = new PatternSelector().cluster(new SolidTeiresias().discover(sequences,
                    TeiresiasParams.solid(3, 2), PatternSelector.CHECKOUT_SHAPE));
            java.util.Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < txns.size(); i++) {
                index.put(txns.get(i).laneId() + "/" + txns.get(i).txnId(), i);
            }
            for (ConfirmedIncident inc : day.incidents()) {
                Integer i = index.get(inc.getLaneId() + "/" + inc.getTxnId());
                if (i == null) {
                    continue;
                }
                TransactionSequence t = txns.get(i);
                int best = -1;
                for (int j = 0; j < t.length(); j++) {
                    if (t.symbol(j) == 'S' && (best < 0
                            || Math.abs(t.time(j) - inc.getTs()) < Math.abs(t.time(best) - inc.getTs()))) {
                        best = j;
                    }
                }
                if (best >= 0) {
                    anchors.add(new SvmWeights.Anchor(i, best));
                }
            }
        }
    }

    /** SVM weights: 100 random half splits of liblinear training, at the paper's scale. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double[] svmWeights(Svm s) {
        return SvmWeights.compute(s.patterns, s.sequences, s.anchors, s.options.svm());
    }
}
