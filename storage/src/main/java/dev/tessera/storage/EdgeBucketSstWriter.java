package dev.tessera.storage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;

/**
 * Writes one chunk of one bucket to an SST file for {@link GraphStore#ingestEdges}: edges are gathered into
 * columnar blocks of {@link EdgeBlock#DEFAULT_SIZE} and keyed {@code split|lhsPart|rhsPart|chunk|block}.
 * Different chunks of a bucket (written by different tasks) never share keys, so their files ingest side by
 * side. It lives in storage, with the key layout, so no other module has to know how edges are keyed.
 */
public final class EdgeBucketSstWriter implements AutoCloseable {
    private final SortedSstWriter sst;
    private final Split split;
    private final int lhsPart;
    private final int rhsPart;
    private final int chunk;
    private final boolean weighted;
    private final int blockSize;
    private int[] rel;
    private int[] lhs;
    private int[] rhs;
    private float[] weights;
    private int fill;
    private int block;
    private long edges;

    public EdgeBucketSstWriter(
            Path file, Split split, int lhsPart, int rhsPart, int chunk, boolean weighted, int blockSize) {
        this(file, split, lhsPart, rhsPart, chunk, weighted, blockSize, 0);
    }

    /** A writer whose first block number is {@code firstBlock}, continuing an earlier file of the same chunk. */
    public EdgeBucketSstWriter(
            Path file,
            Split split,
            int lhsPart,
            int rhsPart,
            int chunk,
            boolean weighted,
            int blockSize,
            int firstBlock) {
        this.block = firstBlock;
        this.sst = new SortedSstWriter(file);
        this.split = split;
        this.lhsPart = lhsPart;
        this.rhsPart = rhsPart;
        this.chunk = chunk;
        this.weighted = weighted;
        this.blockSize = blockSize;
        this.rel = new int[blockSize];
        this.lhs = new int[blockSize];
        this.rhs = new int[blockSize];
        this.weights = weighted ? new float[blockSize] : null;
    }

    public void add(int relation, int lhsOffset, int rhsOffset, float weight) {
        rel[fill] = relation;
        lhs[fill] = lhsOffset;
        rhs[fill] = rhsOffset;
        if (weighted) {
            weights[fill] = weight;
        }
        fill++;
        edges++;
        if (fill == blockSize) {
            flushBlock();
        }
    }

    private void flushBlock() {
        if (fill == 0) {
            return;
        }
        EdgeBlock b = new EdgeBlock(
                Arrays.copyOf(rel, fill),
                Arrays.copyOf(lhs, fill),
                Arrays.copyOf(rhs, fill),
                weighted ? Arrays.copyOf(weights, fill) : null);
        sst.put(Keys.edge(split, lhsPart, rhsPart, chunk, block++), b.encode());
        fill = 0;
    }

    /** The block number the next block would get. */
    public int nextBlock() {
        return block;
    }

    public long edges() {
        return edges;
    }

    /** Writes the last partial block and completes the file; null when no edge was added. */
    public Path finish() {
        flushBlock();
        return sst.finish();
    }

    /**
     * The first and last block key of a finished file, read back from the file itself: lets a caller check
     * which bucket and chunk a file holds and that files written side by side do not overlap.
     */
    public static List<EdgeBlockKey> keyRange(Path file) {
        try (Options o = new Options();
                SstFileReader r = new SstFileReader(o);
                ReadOptions ro = new ReadOptions()) {
            r.open(file.toString());
            try (SstFileReaderIterator it = r.newIterator(ro)) {
                it.seekToFirst();
                if (!it.isValid()) {
                    throw new StorageException("edge SST file " + file + " is empty");
                }
                byte[] first = it.key();
                it.seekToLast();
                return List.of(EdgeBlockKey.decode(first), EdgeBlockKey.decode(it.key()));
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot read SST file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        sst.close();
    }
}
