package dev.tessera.storage;

import java.nio.file.Path;

/**
 * Writes a graph's neighbour lists (rows of a CSR matrix: {@code rowStart}, {@code neighbours}) to the file
 * {@link AdjacencyFileReader} reads, in the envelope of every stored value ({@link Frames}): {@code magic
 * "TSRA" | kind (1) | version (2) | length (8) | nodes (4) | entries (8) | rowStart (nodes+1 longs) |
 * neighbours (entries ints) | crc32c (4)}, little-endian, the checksum over everything before it. The length
 * takes 8 bytes, not a value's 4, because the file of a large graph passes 2 GiB. Written to a temporary
 * name, forced and renamed ({@link EnvelopeFileWriter}), so a crash never leaves a half-written file in place.
 */
public final class AdjacencyFileWriter {
    private AdjacencyFileWriter() {}

    /** Writes {@code nodes} lists: node {@code v}'s are {@code neighbours[rowStart[v] .. rowStart[v+1])}. */
    public static void write(Path path, int nodes, int[] rowStart, int[] neighbours) {
        if (rowStart.length != nodes + 1 || rowStart[nodes] != neighbours.length) {
            throw new IllegalArgumentException("row starts of " + rowStart.length + " entries ending at "
                    + rowStart[rowStart.length - 1] + " do not describe " + nodes + " nodes and "
                    + neighbours.length + " neighbours");
        }
        try (EnvelopeFileWriter w = EnvelopeFileWriter.create(
                path, AdjacencyFileReader.KIND, AdjacencyFileReader.payloadLength(nodes, neighbours.length))) {
            w.putInt(nodes).putLong(neighbours.length);
            for (int v = 0; v <= nodes; v++) {
                w.putLong(rowStart[v]);
            }
            w.putInts(neighbours, 0, neighbours.length);
            w.finish();
        }
    }
}
