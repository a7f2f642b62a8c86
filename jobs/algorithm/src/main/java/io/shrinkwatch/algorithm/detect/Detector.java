package io.shrinkwatch.algorithm.detect;

import io.shrinkwatch.algorithm.classify.Classification;
import io.shrinkwatch.algorithm.classify.ScanEvent;
import io.shrinkwatch.algorithm.classify.SegmentationRules;
import io.shrinkwatch.algorithm.classify.Segmenter;
import io.shrinkwatch.algorithm.classify.VoteClassifier;
import io.shrinkwatch.algorithm.lane.TransactionSequence;
import io.shrinkwatch.algorithm.model.ModelIo;
import io.shrinkwatch.schema.PatternEntry;
import io.shrinkwatch.schema.PatternModel;
import io.shrinkwatch.schema.WeightScheme;
import java.util.ArrayList;
import java.util.List;

/** Classifies and segments transactions with one model, weight scheme and threshold (KDD'11 section 4). */
public final class Detector {

    /** Outcome for one transaction. */
    public record Result(TransactionSequence transaction, Classification classification, List<ScanEvent> scans) {

        // Loops, not streams: the streaming job asks for these at every settle.
        public List<ScanEvent> fakeScans() {
            List<ScanEvent> fakes = new java.util.ArrayList<>();
            for (ScanEvent s : scans) {
                if (s.fake()) {
                    fakes.add(s);
                }
            }
            return java.util.Collections.unmodifiableList(fakes);
        }

        public long trueScanCount() {
            long n = 0;
            for (ScanEvent s : scans) {
                if (!s.fake()) {
                    n++;
                }
            }
            return n;
        }
    }

    private final PatternModel model;
    private final VoteClassifier classifier;
    private final Segmenter segmenter;

    public Detector(PatternModel model, WeightScheme scheme, double threshold, SegmentationRules rules) {
        List<String> pos = new ArrayList<>();
        List<String> neg = new ArrayList<>();
        for (PatternEntry e : model.getPatterns()) {
            pos.add(e.getPositive());
            neg.add(e.getNegative());
        }
        this.model = model;
        this.classifier = new VoteClassifier(pos, neg, ModelIo.weights(model, scheme), threshold);
        this.segmenter = new Segmenter(rules);
    }

    /** With the model's own default scheme, threshold, and segmentation rules. */
    public static Detector of(PatternModel model) {
        return new Detector(model, model.getDefaultScheme(), model.getThreshold(), ModelIo.rules(model));
    }

    public String modelId() {
        return model.getModelId();
    }

    public Result detect(TransactionSequence t) {
        Classification c = classifier.classify(t.symbols());
        return new Result(t, c, segmenter.segment(t.symbols(), t.times(), c));
    }
}
