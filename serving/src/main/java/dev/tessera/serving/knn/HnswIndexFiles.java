package dev.tessera.serving.knn;

import dev.tessera.storage.CorruptFileException;
import dev.tessera.storage.HnswGraphFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HNSW graphs saved beside a checkpoint ({@code CHECKPOINT/indexes/hnsw-type<T>.bin}), so that approximate
 * search builds a type's graph once per set of embeddings, not once per process. A saved graph is used only
 * when it was built from the same vectors (checkpoint version and a CRC32C of the vectors themselves, so a new
 * epoch or a fold-in update is noticed even where the version alone would not say so), metric and parameters;
 * otherwise, or when the file is damaged, the graph is built again and replaces it. A checkpoint directory
 * that cannot be written costs only the saving: the index serves from memory.
 */
public final class HnswIndexFiles {
    private static final Logger LOG = LoggerFactory.getLogger(HnswIndexFiles.class);
    static final String DIRECTORY = "indexes";

    private HnswIndexFiles() {}

    /** How an index was obtained: read from its saved file, or built (and saved, when the directory allowed). */
    public enum Source {
        LOADED,
        BUILT
    }

    /** The index and how it was obtained. */
    public record Opened(HnswIndex index, Source source) {}

    /** The saved graph of type {@code type} when it indexes these vectors, else a new one, saved for next time. */
    public static Opened openOrBuild(
            Path checkpoint,
            int checkpointVersion,
            int type,
            float[] vectors,
            int n,
            int d,
            Metric metric,
            int threads) {
        Path file = file(checkpoint, type);
        HnswGraphFile.Identity identity = new HnswGraphFile.Identity(
                checkpointVersion,
                checksum(vectors, n * d),
                n,
                d,
                metric.ordinal(),
                HnswIndex.DEFAULT_MAX_CONN,
                HnswIndex.DEFAULT_BEAM_WIDTH);
        if (Files.isRegularFile(file)) {
            long started = System.nanoTime();
            try {
                HnswGraphFile.Layers layers = HnswGraphFile.read(file, identity);
                if (layers != null) {
                    HnswIndex index = HnswIndex.restore(vectors, n, d, metric, HnswIndex.DEFAULT_EF, layers);
                    LOG.info("read the saved HNSW index {} in {} s", file, seconds(started));
                    return new Opened(index, Source.LOADED);
                }
                LOG.info(
                        "the saved HNSW index {} was built from other embeddings or settings; building it again", file);
            } catch (CorruptFileException | UncheckedIOException e) {
                LOG.warn("cannot use the saved HNSW index ({}); building it again", e.getMessage());
            }
        }
        long started = System.nanoTime();
        LOG.info("building an HNSW index of {} vectors ...", n);
        HnswIndex index = HnswIndex.build(vectors, n, d, metric, threads);
        LOG.info("HNSW index built in {} s", seconds(started));
        try {
            HnswGraphFile.write(file, identity, index.layers());
        } catch (UncheckedIOException e) {
            LOG.warn("cannot save the HNSW index ({}); it serves from memory", e.getMessage());
        }
        return new Opened(index, Source.BUILT);
    }

    /** Where type {@code type}'s graph is saved in a checkpoint directory. */
    public static Path file(Path checkpoint, int type) {
        return checkpoint.resolve(DIRECTORY).resolve("hnsw-type" + type + ".bin");
    }

    /** CRC32C of the first {@code length} floats' bits, little-endian. */
    static long checksum(float[] values, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer bytes = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = bytes.asFloatBuffer();
        for (int i = 0; i < length; i += floats.capacity()) {
            int m = Math.min(floats.capacity(), length - i);
            floats.clear();
            floats.put(values, i, m);
            bytes.clear().limit(4 * m);
            crc.update(bytes);
        }
        return crc.getValue();
    }

    private static String seconds(long started) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9);
    }
}
