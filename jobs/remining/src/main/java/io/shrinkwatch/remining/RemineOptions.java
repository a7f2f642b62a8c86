package io.shrinkwatch.remining;

import io.shrinkwatch.algorithm.evaluation.PromotionGate;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the re-mining job beyond the mining parameters themselves (those are {@code MiningOptions}). */
public final class RemineOptions {

    private RemineOptions() {
    }

    public static final ConfigOption<Double> HOLDOUT_FRACTION = ConfigOptions.key("shrinkwatch.remine.holdout-fraction")
            .doubleType().defaultValue(0.25)
            .withDescription("The most recent share of the window's transactions, never mined, on which the promotion "
                    + "gate compares the new model with the current one.");

    public static final ConfigOption<Integer> ALL_DIVISIONS_UP_TO = ConfigOptions
            .key("shrinkwatch.remine.all-divisions-up-to").intType().defaultValue(6)
            .withDescription("With at most this many lanes, the evaluation uses every division of the lanes into "
                    + "halves (the paper: 6 lanes, 20 divisions); with more, random ones.");

    public static final ConfigOption<Integer> RANDOM_DIVISIONS = ConfigOptions.key("shrinkwatch.remine.random-divisions")
            .intType().defaultValue(20)
            .withDescription("Random lane divisions evaluated when there are too many lanes for all of them.");

    public static final ConfigOption<Double> GATE_MARGIN = ConfigOptions.key("shrinkwatch.remine.gate-margin")
            .doubleType().defaultValue(PromotionGate.DEFAULT_MARGIN)
            .withDescription("A new model is published only if its held-out F1 is at least the current model's minus "
                    + "this.");

    public static final ConfigOption<Integer> PARALLELISM = ConfigOptions.key("shrinkwatch.remine.parallelism")
            .intType().defaultValue(2)
            .withDescription("Parallelism of the Flink part: reading, windowing and de-duplicating the archive.");
}
