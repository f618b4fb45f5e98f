package dev.tessera.storage;

import java.nio.file.Path;
import java.util.List;

/**
 * Writes, for {@link GraphStore#ingestPartitionDictionaries}, the offset-ordered side of (a contiguous range of) one partition's dictionary: the {@code names}
 * entries (type|part|offset → name) and the {@code degrees} blocks, keyed by their first offset. Entities
 * must arrive with consecutive offsets; the range may start anywhere, so several tasks can each write
 * their own range of a partition into files that do not overlap. (The name-ordered side is
 * {@link EntitySstWriter}'s.)
 */
public final class PartitionDictionaryWriter implements AutoCloseable {
    private final SortedSstWriter names;
    private final SortedSstWriter degrees;
    private final int type;
    private final int part;
    private final int[] out = new int[DegreeBlock.MAX_ENTITIES];
    private final int[] in = new int[DegreeBlock.MAX_ENTITIES];
    private int fill;
    private int blockStart;
    private int next = -1;

    public PartitionDictionaryWriter(Path namesFile, Path degreesFile, int type, int part) {
        this.names = new SortedSstWriter(namesFile);
        this.degrees = new SortedSstWriter(degreesFile);
        this.type = type;
        this.part = part;
    }

    public void add(int offset, String name, int outDegree, int inDegree) {
        if (next < 0) {
            next = offset;
            blockStart = offset;
        }
        if (offset != next) {
            throw new IllegalStateException("partition (" + type + "," + part + "): offset " + offset
                    + " arrived where " + next + " was due; offsets must be consecutive and in order");
        }
        next++;
        names.put(Keys.name(type, part, offset), ValueCodecs.encodeName(name));
        out[fill] = outDegree;
        in[fill] = inDegree;
        if (++fill == out.length) {
            flushDegrees();
        }
    }

    private void flushDegrees() {
        if (fill > 0) {
            degrees.put(Keys.degrees(type, part, blockStart), ValueCodecs.encodeDegrees(out, in, 0, fill));
            blockStart += fill;
            fill = 0;
        }
    }

    /** Completes both files; returns [names, degrees], either null when empty. */
    public List<Path> finish() {
        flushDegrees();
        Path n = names.finish();
        Path d = degrees.finish();
        return java.util.Arrays.asList(n, d);
    }

    @Override
    public void close() {
        names.close();
        degrees.close();
    }
}
