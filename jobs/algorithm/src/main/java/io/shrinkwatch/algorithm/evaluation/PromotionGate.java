package io.shrinkwatch.algorithm.evaluation;

/**
 * Decides whether a newly mined model replaces the current one. The metric is the F1 score of fake-scan detection
 * against confirmed incidents on held-out transactions (the most recent part of the training window, never mined),
 * each model at its own weight scheme and threshold. A candidate passes when its F1 is at least the current model's
 * less {@code margin}; with no current model, or no labels to measure with, it passes with that reason stated. A
 * manual override accepts any candidate and says so.
 */
public final class PromotionGate {

    /** Default tolerated drop in held-out F1. */
    public static final double DEFAULT_MARGIN = 0.02;

    /** The decision and its reason, for the log and the report. */
    public record Decision(boolean promote, String reason) {
    }

    private PromotionGate() {
    }

    public static Decision decide(Evaluation.Score candidate, Evaluation.Score current, double margin,
            boolean override) {
        if (!(margin >= 0)) {
            throw new IllegalArgumentException("margin must be >= 0, got " + margin);
        }
        String measured = current == null ? String.format("held-out F1 %.3f", candidate.f1())
                : String.format("held-out F1 %.3f vs current %.3f (margin %.3f)", candidate.f1(), current.f1(), margin);
        if (override) {
            return new Decision(true, "promoted by manual override; " + measured);
        }
        if (current == null) {
            return new Decision(true, "promoted: no current model; " + measured);
        }
        if (candidate.truePositives() + candidate.missed() == 0) {
            return new Decision(false, "kept back: no confirmed incident in the held-out transactions, so the gate "
                    + "cannot measure; promote with the override after review");
        }
        if (candidate.f1() >= current.f1() - margin) {
            return new Decision(true, "promoted: " + measured);
        }
        return new Decision(false, "kept back: " + measured + " is worse than the current model by more than the margin");
    }
}
