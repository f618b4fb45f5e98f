package dev.tessera.sampler;

import java.util.SplittableRandom;

/**
 * The shared candidate set of one chunk of positives (DESIGN.md §5): the chunk's own entities on the
 * corrupted side (batch negatives, so each positive is scored against the others' entities), then
 * {@code uniform} entities drawn uniformly from the partition, then {@code weighted} drawn by degree. Every
 * positive of the chunk is scored against all of them in one matrix product; the positive's own slot
 * among the batch negatives is not a negative, and {@link #isSelf} says which it is. A caller that draws its
 * batch negatives elsewhere (from other edges) fills those slots itself and adds the draws with
 * {@link #drawSampled}.
 */
public final class ChunkNegatives {
    private final int batch;
    private final int uniform;
    private final int weighted;

    /**
     * @param batch    positives per chunk, whose entities are each other's negatives (PBG's num_batch_negs)
     * @param uniform  uniform negatives per chunk (num_uniform_negs)
     * @param weighted degree-weighted negatives per chunk (num_degree_negs)
     */
    public ChunkNegatives(int batch, int uniform, int weighted) {
        if (batch < 1 || uniform < 0 || weighted < 0) {
            throw new IllegalArgumentException(
                    "chunk of " + batch + " with " + uniform + " uniform and " + weighted + " weighted negatives");
        }
        this.batch = batch;
        this.uniform = uniform;
        this.weighted = weighted;
    }

    /** Candidates per chunk of {@code chunk} positives. */
    public int candidates(int chunk) {
        return chunk + uniform + weighted;
    }

    public int chunkSize() {
        return batch;
    }

    /**
     * Fills {@code out} with the candidates of the chunk {@code entities[from, from+len)} (offsets on the
     * corrupted side) drawn from a partition of {@code partitionSize} entities whose degree distribution is
     * {@code degrees} (needed only for weighted negatives); returns their count.
     */
    public int fill(
            int[] entities,
            int from,
            int len,
            int partitionSize,
            AliasTable degrees,
            SplittableRandom random,
            int[] out) {
        System.arraycopy(entities, from, out, 0, len);
        return drawSampled(len, partitionSize, degrees, random, out);
    }

    /**
     * Fills {@code out} from slot {@code start} on with the uniform and degree-weighted draws from a partition
     * of {@code partitionSize} entities (the batch slots before it are the caller's); returns the count of all.
     */
    public int drawSampled(int start, int partitionSize, AliasTable degrees, SplittableRandom random, int[] out) {
        if (weighted > 0 && degrees == null) {
            throw new IllegalArgumentException("degree-weighted negatives need the partition's degrees");
        }
        int k = start;
        for (int i = 0; i < uniform; i++) {
            out[k++] = random.nextInt(partitionSize);
        }
        for (int i = 0; i < weighted; i++) {
            out[k++] = degrees.sample(random);
        }
        return k;
    }

    /** Whether candidate j is positive i's own entity slot (not a negative). */
    public static boolean isSelf(int i, int j) {
        return i == j;
    }
}
