package dev.bonsai.api.engine;

import dev.bonsai.api.Experimental;
import dev.bonsai.api.data.Batch;
import dev.bonsai.api.model.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Magnitude statistics of the inputs of dense and conv layers: per input, the mean and the maximum of {@code |x|}
 * and how many values exceed a threshold (outlier features, as OWL's outlier ratio counts them).
 *
 * <p>The inputs are those of {@link LayerInputProbe}: a dense layer's input rows are its input vectors (one per
 * sample, or one per position of a {@code [T, D]} input), a conv2d layer's rows are its im2col patches of
 * {@code C·k·k} values ordered (channel, kernel row, kernel column), with the zero padding included as zeros, so input
 * {@code j} of a weight is column {@code j} of its {@code [out, in]} (or {@code [out, C, k, k]}) layout.
 */
@Experimental("capability probes may gain methods and options as engines supply native paths")
public interface LayerInputMagnitudeProbe extends Capability {

    /**
     * The magnitude statistics of every dense and conv2d weight's inputs over every row of every batch, by weight
     * parameter name, in evaluation mode.
     *
     * @param threshold a finite value {@code ≥ 0}; {@link Magnitudes#countAbove()} counts {@code |x| > threshold}
     * @throws dev.bonsai.api.BonsaiException when {@code batches} is empty, the threshold is negative or not finite,
     *                                        or the model has weights whose inputs the probe cannot see
     */
    Map<String, Magnitudes> inputMagnitudes(List<Batch> batches, double threshold);

    /**
     * The statistics of one weight's inputs, {@code [in]} each.
     *
     * @param rows       the number of input rows seen (samples, or samples times positions or output pixels)
     * @param threshold  the threshold of {@code countAbove}
     * @param meanAbs    {@code Σ_rows |x| / rows} per input
     * @param maxAbs     {@code max_rows |x|} per input
     * @param countAbove the number of rows with {@code |x| > threshold}, per input
     */
    record Magnitudes(long rows, double threshold, Tensor meanAbs, Tensor maxAbs, long[] countAbove) {

        /** Checks that the three statistics have one value per input and copies the counts. */
        public Magnitudes {
            Objects.requireNonNull(meanAbs, "meanAbs");
            Objects.requireNonNull(maxAbs, "maxAbs");
            Objects.requireNonNull(countAbove, "countAbove");
            if (rows <= 0) {
                throw new IllegalArgumentException("input magnitudes need at least one row, got " + rows);
            }
            if (meanAbs.shape().rank() != 1 || !maxAbs.shape().equals(meanAbs.shape())
                    || countAbove.length != meanAbs.size()) {
                throw new IllegalArgumentException("meanAbs, maxAbs and countAbove must all be [in]: got "
                        + meanAbs.shape() + ", " + maxAbs.shape() + " and " + countAbove.length + " counts");
            }
            countAbove = countAbove.clone();
        }

        /** The number of inputs. */
        public int inputs() {
            return meanAbs.size();
        }

        /** The share of rows with {@code |x| > threshold}, per input, in {@code [0, 1]}. */
        public Tensor shareAbove() {
            float[] share = new float[countAbove.length];
            for (int i = 0; i < share.length; i++) {
                share[i] = (float) ((double) countAbove[i] / rows);
            }
            return new Tensor(meanAbs.shape(), share);
        }

        /** The counts (a copy). */
        @Override
        public long[] countAbove() {
            return countAbove.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Magnitudes m && rows == m.rows && Double.compare(threshold, m.threshold) == 0
                    && meanAbs.equals(m.meanAbs) && maxAbs.equals(m.maxAbs) && Arrays.equals(countAbove, m.countAbove);
        }

        @Override
        public int hashCode() {
            return Objects.hash(rows, threshold, meanAbs, maxAbs, Arrays.hashCode(countAbove));
        }

        @Override
        public String toString() {
            return "Magnitudes[rows=" + rows + ", threshold=" + threshold + ", inputs=" + inputs() + "]";
        }
    }
}
