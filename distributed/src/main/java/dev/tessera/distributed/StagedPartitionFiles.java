package dev.tessera.distributed;

import dev.tessera.storage.PartitionFiles;
import dev.tessera.trainer.EmbeddingPartition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An epoch's partition files in the shared staging directory, between the homes that write them and rank 0,
 * which ingests them: each home writes a partition under a temporary name and moves its embeddings file, then
 * last its optimizer file, to {@code r<home>-t<type>-p<part>}; rank 0 takes, of each partition, the pair its
 * current home wrote, once the optimizer file is there. So a half-written pair is never seen, and the files a
 * home taken for dead left behind are never taken.
 */
final class StagedPartitionFiles {
    private StagedPartitionFiles() {}

    /** Writes {@code p}'s files of data version {@code version} into {@code dir}, as trainer {@code rank}. */
    static void write(EmbeddingPartition p, Path dir, int version, int rank) {
        String name = name(rank, p.type, p.part);
        PartitionFiles f = PartitionFiles.write(
                dir, "writing-" + name, version, p.type, p.part, p.embeddings, p.state, p.rows, p.d, rows -> {});
        try {
            Files.move(f.embeddings(), dir.resolve(name + "-embeddings.sst"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(f.optimizer(), dir.resolve(name + "-optimizer.sst"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move partition files into place in " + dir, e);
        }
    }

    /**
     * The files of every partition ({@code shape[type][part]}) in {@code dir} as their current homes wrote them,
     * waiting for a home that adopted a partition late in the epoch to write it; throws naming the missing ones
     * after {@code timeoutNanos}, or when {@code node} is stopped.
     */
    static List<PartitionFiles> awaitAll(
            Path dir, int[][] shape, Supplier<HomeMap> homes, AeronNode node, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            List<PartitionFiles> files = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            HomeMap now = homes.get();
            for (int t = 0; t < shape.length; t++) {
                for (int q = 0; q < shape[t].length; q++) {
                    String name = name(now.homeOf(q), t, q);
                    Path optimizer = dir.resolve(name + "-optimizer.sst");
                    if (Files.exists(optimizer)) {
                        files.add(new PartitionFiles(optimizer, dir.resolve(name + "-embeddings.sst")));
                    } else {
                        missing.add(name);
                    }
                }
            }
            if (missing.isEmpty()) {
                return files;
            }
            node.checkAlive();
            if (System.nanoTime() - deadline > 0) {
                throw new TransferException("the epoch's partition files " + missing + " never appeared in " + dir);
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    private static String name(int rank, int type, int part) {
        return "r" + rank + "-t" + type + "-p" + part;
    }
}
