package io.shrinkwatch.remining;

import io.shrinkwatch.algorithm.evaluation.Evaluation;
import io.shrinkwatch.algorithm.evaluation.PromotionGate;
import io.shrinkwatch.algorithm.lane.LaneKey;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.mining.Miner;
import io.shrinkwatch.algorithm.mining.MiningOptions;
import io.shrinkwatch.schema.ConfirmedIncident;
import io.shrinkwatch.schema.LaneSequence;
import io.shrinkwatch.schema.PatternModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Re-mines the pattern model from archived lane sequences (issue #4), evaluates it the paper's way and decides whether
 * it replaces the current model.
 *
 * <p>The Flink part runs in BATCH mode: it reads the archive partitions in parallel, keeps the training window and
 * removes duplicates (a replayed or restored detection job may archive a transaction twice; the copy with the most
 * symbols wins, then the larger model id, so the choice does not depend on file order). Mining and evaluation then
 * run in the client on the collected sequences, because Teiresias needs every transaction at once; within mining the
 * L = W runs go in parallel. Partitioning the mining itself by store group, for inputs one machine cannot hold, is
 * unfinished (see the README's scale table for what one machine holds).
 *
 * <p>The window's most recent {@link RemineOptions#HOLDOUT_FRACTION} of transactions is held out: the candidate is
 * mined on the rest, the lane-division evaluation runs on the rest, and the {@link PromotionGate} compares the
 * candidate with the current model on the held-out part.
 */
public final class RemineJob {

    /** What the job reads: the sequences and incidents as Flink streams of one environment. */
    public interface Input {
        DataStream<LaneSequence> sequences(StreamExecutionEnvironment env);

        DataStream<ConfirmedIncident> incidents(StreamExecutionEnvironment env);
    }

    /**
     * @param trainFrom first millisecond of the training window (inclusive)
     * @param trainTo end of the training window (exclusive)
     */
    public record Window(long trainFrom, long trainTo) implements java.io.Serializable {
        boolean contains(long ts) {
            return ts >= trainFrom && ts < trainTo;
        }
    }

    /** Everything a run produced. */
    public record Result(Miner.Result mined, Evaluation.Report evaluation, Evaluation.Score candidateHeldOut,
            Evaluation.Score currentHeldOut, PromotionGate.Decision decision, int transactionsInWindow,
            int heldOutTransactions, int untrustedClockTransactions) {
    }

    private final Input input;
    private final Configuration conf;
    private final MiningOptions mining;
    private final Window window;

    public RemineJob(Input input, Configuration conf, MiningOptions mining, Window window) {
        this.input = input;
        this.conf = conf;
        this.mining = mining;
        this.window = window;
    }

    /**
     * @param current the model in force, or null
     * @param override promote whatever the gate says
     */
    public Result run(PatternModel current, boolean override, Miner.Progress progress) throws Exception {
        List<LaneSequence> archived = collect(env -> {
            Window w = window;
            return input.sequences(env).filter(s -> !s.getTimes().isEmpty() && w.contains(s.getTimes().get(0)))
                    .name("training-window").uid("training-window")
                    .keyBy(s -> s.getStoreId() + "/" + s.getLaneId() + "/" + s.getTxnId())
                    .reduce(RemineJob::preferred).name("dedupe").uid("dedupe");
        }, "shrinkwatch-remine-sequences");
        List<ConfirmedIncident> incidents = new ArrayList<>(collect(env -> {
            Window w = window;
            return input.incidents(env).filter(i -> w.contains(i.getTs())).name("incident-window")
                    .uid("incident-window")
                    .keyBy(i -> i.getStoreId() + "/" + i.getLaneId() + "/" + i.getTxnId() + "/" + i.getTs())
                    .reduce((a, b) -> a).name("incident-dedupe").uid("incident-dedupe");
        }, "shrinkwatch-remine-incidents"));
        incidents.sort(Comparator.comparing((ConfirmedIncident i) -> i.getStoreId()).thenComparing(i -> i.getLaneId())
                .thenComparingLong(ConfirmedIncident::getTs).thenComparing(i -> i.getTxnId()));
        List<TransactionSequence> txns = new ArrayList<>();
        int untrusted = 0;
        for (LaneSequence s : archived) {
            // Aligned with a clock offset the job did not trust: its barcodes may sit seconds from their scan motions,
            // which would teach the miner patterns no lane has.
            if (s.getClockTrusted()) {
                txns.add(toSequence(s));
            } else {
                untrusted++;
            }
        }
        txns.sort(Comparator.comparingLong(TransactionSequence::startTs).thenComparing(TransactionSequence::storeId)
                .thenComparing(TransactionSequence::laneId).thenComparing(TransactionSequence::txnId));
        progress.stage(String.format("read %d transactions and %d incidents in the window%s", txns.size(),
                incidents.size(), untrusted == 0 ? "" : " (left out " + untrusted
                        + " aligned with an untrusted clock offset)"));
        if (txns.size() < 4) {
            throw new IllegalArgumentException("only " + txns.size() + " transactions in the training window");
        }

        int heldOut = (int) Math.floor(txns.size() * conf.get(RemineOptions.HOLDOUT_FRACTION));
        List<TransactionSequence> train = txns.subList(0, txns.size() - heldOut);
        List<TransactionSequence> test = txns.subList(txns.size() - heldOut, txns.size());
        Set<String> trainIds = ids(train);
        List<ConfirmedIncident> trainInc = incidents.stream().filter(i -> trainIds.contains(id(i))).toList();
        Set<String> testIds = ids(test);
        List<ConfirmedIncident> testInc = incidents.stream().filter(i -> testIds.contains(id(i))).toList();

        Miner.Result mined = new Miner().mine(train, trainInc, mining, window.trainTo(), progress);
        Set<LaneKey> lanes = new TreeSet<>();
        train.forEach(t -> lanes.add(new LaneKey(t.storeId(), t.laneId())));
        Evaluation.Report report = null;
        if (lanes.size() >= 2) {
            report = Evaluation.run(train, trainInc, mining, Evaluation.divisions(new ArrayList<>(lanes),
                    conf.get(RemineOptions.ALL_DIVISIONS_UP_TO), conf.get(RemineOptions.RANDOM_DIVISIONS),
                    mining.svm().seed()), Evaluation.PAPER_THRESHOLDS, Evaluation.DEFAULT_TOLERANCE_MS, progress);
        } else {
            progress.stage("evaluation skipped: it needs at least 2 lanes");
        }
        Evaluation.Score candidate = Evaluation.score(mined.model(), test, testInc, Evaluation.DEFAULT_TOLERANCE_MS);
        Evaluation.Score incumbent = current == null ? null
                : Evaluation.score(current, test, testInc, Evaluation.DEFAULT_TOLERANCE_MS);
        PromotionGate.Decision decision = PromotionGate.decide(candidate, incumbent,
                conf.get(RemineOptions.GATE_MARGIN), override);
        progress.stage("promotion gate: " + decision.reason());
        return new Result(mined, report, candidate, incumbent, decision, txns.size(), test.size(), untrusted);
    }

    private <T> List<T> collect(Function<StreamExecutionEnvironment, DataStream<T>> pipeline, String name)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(conf.get(RemineOptions.PARALLELISM));
        List<T> out = new ArrayList<>();
        try (CloseableIterator<T> it = pipeline.apply(env).executeAndCollect(name)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * Of two archived copies of one transaction, the one aligned with a trusted clock, then the one with more symbols,
     * then the larger model id.
     */
    static LaneSequence preferred(LaneSequence a, LaneSequence b) {
        if (a.getClockTrusted() != b.getClockTrusted()) {
            return a.getClockTrusted() ? a : b;
        }
        int c = Integer.compare(a.getSymbols().length(), b.getSymbols().length());
        if (c == 0) {
            c = a.getModelId().compareTo(b.getModelId());
        }
        return c >= 0 ? a : b;
    }

    static TransactionSequence toSequence(LaneSequence s) {
        long[] times = s.getTimes().stream().mapToLong(Long::longValue).toArray();
        long[] values = s.getValueCents().stream().mapToLong(Long::longValue).toArray();
        return new TransactionSequence(s.getStoreId(), s.getLaneId(), s.getTxnId(), s.getCashierId(), s.getSymbols(),
                times, values);
    }

    private static Set<String> ids(List<TransactionSequence> txns) {
        Set<String> out = new HashSet<>();
        txns.forEach(t -> out.add(t.storeId() + "/" + t.laneId() + "/" + t.txnId()));
        return out;
    }

    private static String id(ConfirmedIncident i) {
        return i.getStoreId() + "/" + i.getLaneId() + "/" + i.getTxnId();
    }
}
