package dev.tessera.trainer;

import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.storage.GraphMeta;
import dev.tessera.storage.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The heap a training run will hold at once, counted before it starts from the graph's partition sizes and
 * the settings, so that a model too large for the JVM fails at once with what to change, not with an
 * OutOfMemoryError at its first partition or batch. It counts only what is certain to be allocated and
 * large: the partitions the buffer holds (embeddings and their Adagrad state), the workers' scratch for
 * scoring every entity (1_vs_all, k_vs_all) and one bucket's edges. Smaller scratch, the relation parameters
 * and the JVM's own use are left out, so the check refuses only runs that cannot fit; one that passes can
 * still run short of heap, but not by a whole model.
 */
final class TrainingMemory {
    /** One thing training holds, in bytes, and how it was counted. */
    record Part(String what, long bytes) {}

    private final List<Part> parts = new ArrayList<>();

    /**
     * What training {@code config} on a graph of {@code meta} holds: partitions of every type ({@code
     * buffered} at a time of a partitioned type), {@code workerScratchFloats} per Hogwild worker, and the
     * largest bucket's training edges.
     */
    TrainingMemory(TesseraConfig config, TrainingSettings s, GraphMeta meta, int buffered, long workerScratchFloats) {
        long floatsPerRow = s.dimension() + 1L; // the embedding and its row-wise Adagrad state
        for (EntityTypeConfig type : config.entities()) {
            if (type.featurized()) {
                continue; // rows derived from the feature table, counted with it
            }
            long largest = meta.largestPartition(type.name());
            int held = Math.min(meta.entityCounts(type.name()).length, buffered);
            parts.add(new Part(
                    String.format(
                            Locale.ROOT,
                            "%d partition%s of '%s' in memory, %,d rows × %d floats%s",
                            held,
                            held == 1 ? "" : "s",
                            type.name(),
                            largest,
                            floatsPerRow,
                            held == 1 ? "" : " each"),
                    held * largest * floatsPerRow * Float.BYTES));
        }
        if (workerScratchFloats > 0) {
            parts.add(new Part(
                    String.format(
                            Locale.ROOT,
                            "%s scratch of %d worker%s (scores and gradients of every entity)",
                            s.groupQueries() ? "k_vs_all" : "1_vs_all",
                            s.workers(),
                            s.workers() == 1 ? "" : "s"),
                    s.workers() * workerScratchFloats * Float.BYTES));
        }
        long edges = meta.largestBucket(Split.TRAIN);
        // Relation, head and tail of each edge; k_vs_all keeps a second copy ordered by the other side's queries.
        int copies = s.groupQueries() ? 2 : 1;
        parts.add(new Part(
                String.format(Locale.ROOT, "the largest bucket's %,d edges%s", edges, copies == 2 ? ", twice" : ""),
                copies * edges * 3 * Integer.BYTES));
        if (s.subsamplingWeights()) {
            parts.add(new Part(
                    String.format(Locale.ROOT, "subsampling_weights of the largest bucket's %,d edges", edges),
                    edges * Float.BYTES));
        }
    }

    long bytes() {
        long sum = 0;
        for (Part part : parts) {
            sum += part.bytes();
        }
        return sum;
    }

    List<Part> parts() {
        return parts;
    }

    /** Refuses, saying what is needed and what to change, when the count exceeds {@code maxHeap} bytes. */
    void check(long maxHeap) {
        if (bytes() <= maxHeap) {
            return;
        }
        StringBuilder why = new StringBuilder(String.format(
                Locale.ROOT,
                "training needs at least %s of heap but this JVM may use %s:",
                size(bytes()),
                size(maxHeap)));
        for (Part part : parts) {
            why.append(String.format(Locale.ROOT, "%n  %s: %s", part.what(), size(part.bytes())));
        }
        why.append(String.format(
                Locale.ROOT,
                "%nGive the JVM more heap (bin/tessera: TESSERA_JAVA_OPTS=-Xmx%dg), or train fewer workers, a"
                        + " smaller dimension or partition_buffer, or import with more partitions.",
                (long) Math.ceil(bytes() * 1.25 / (1L << 30))));
        throw new IllegalArgumentException(why.toString());
    }

    private static String size(long bytes) {
        return bytes < 1L << 30
                ? String.format(Locale.ROOT, "%,d MB", (bytes + (1 << 19)) >> 20)
                : String.format(Locale.ROOT, "%.2f GB", bytes / (double) (1L << 30));
    }
}
