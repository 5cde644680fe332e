package dev.bonsai.reports.model;

/**
 * The names of the metrics and provenance entries that reports give a section or column of their own. Metrics with
 * other names stay in the records and in {@code results.csv}.
 */
public final class MetricNames {
    /** The trained dense model's test accuracy, a fraction. */
    public static final String DENSE_ACCURACY = "dense_test_accuracy";

    /** The dense model's test-set inference throughput in samples per second. */
    public static final String DENSE_INFERENCE = "dense_inference_samples_per_s";

    /** The test accuracy right after the last pruning step, before fine-tuning, a fraction. */
    public static final String PRUNED_ACCURACY = "pruned_test_accuracy";

    /** The final test accuracy, after fine-tuning, a fraction. */
    public static final String FINAL_ACCURACY = "test_accuracy";

    /** The final test loss; for language models the mean cross-entropy per predicted token in nats. */
    public static final String FINAL_LOSS = "test_loss";

    /** A language model's final test perplexity, e^loss; its presence marks a language model's records. */
    public static final String FINAL_PERPLEXITY = "test_perplexity";

    /** A language model's final test bits per character. */
    public static final String FINAL_BITS_PER_CHARACTER = "test_bits_per_character";

    /** A classifier's final count of misclassified test samples. */
    public static final String FINAL_ERRORS = "test_errors";

    /** The final mean cross-entropy (nats) on the validation split held out of training. */
    public static final String FINAL_VALIDATION_LOSS = "validation_loss";

    /** The prefix of the metrics holding each prunable parameter's sparsity: {@code sparsity.fc1.weight}. */
    public static final String LAYER_SPARSITY = "sparsity.";

    /** The provenance entry naming a distillation teacher by the hash of its weights. */
    public static final String TEACHER_HASH = "teacher_hash";

    /** The provenance entry with the SHA-256 of the dataset's files. */
    public static final String DATASET_SHA256 = "dataset_sha256";

    /** The provenance entry with the Bonsai version that ran the trial. */
    public static final String BONSAI_VERSION = "bonsai_version";

    /** The provenance entry with the git revision of the Bonsai build that ran the trial. */
    public static final String GIT_REVISION = "git_revision";

    private MetricNames() {
    }
}
