package dev.tessera.distributed;

import dev.tessera.trainer.EmbeddingPartition;

/**
 * A partition on the wire: its {@code rows × d} embeddings then its {@code rows} Adagrad accumulators, as one
 * float stream cut into {@link MessageType#PARTITION_CHUNK} frames of at most a writer's payload, each with
 * its CRC32C. Aeron delivers one sender's frames in order and without loss, so a receiver checks that each
 * chunk starts where the last ended; flow control is Aeron's (a sender waits on back-pressure).
 */
final class PartitionTransfer {
    static final int TYPE = 0;
    static final int PART = 4;
    static final int ROWS = 8;
    static final int DIMENSION = 12;
    static final int FIRST = 16;
    static final int TOTAL = 24;
    static final int CRC = 32;

    private PartitionTransfer() {}

    static long floats(EmbeddingPartition p) {
        return (long) p.rows * p.d + p.rows;
    }

    /** Sends all of {@code p} to {@code peer} as chunks answering (or, for a return, starting) {@code correlation}. */
    static long send(AeronNode node, MessageWriter w, int peer, long correlation, EmbeddingPartition p) {
        long total = floats(p);
        long embeddingFloats = (long) p.rows * p.d;
        int max = w.maxPayloadFloats();
        for (long first = 0; first < total || first == 0; first += max) {
            int n = (int) Math.min(max, total - first);
            w.start(MessageType.PARTITION_CHUNK, node.rank(), correlation)
                    .putInt(TYPE, p.type)
                    .putInt(PART, p.part)
                    .putInt(ROWS, p.rows)
                    .putInt(DIMENSION, p.d)
                    .putLong(FIRST, first)
                    .putLong(TOTAL, total);
            // The chunk may straddle the end of the embeddings and the start of the state.
            long end = first + n;
            if (first < embeddingFloats) {
                int k = (int) (Math.min(end, embeddingFloats) - first);
                w.appendFloats(p.embeddings, (int) first, k);
            }
            if (end > embeddingFloats) {
                long from = Math.max(first, embeddingFloats) - embeddingFloats;
                w.appendFloats(p.state, (int) from, (int) (end - embeddingFloats - from));
            }
            w.checksumPayloadInto(CRC);
            node.send(peer, w);
            if (total == 0) {
                break;
            }
        }
        return total * Float.BYTES;
    }

    /** Receives one partition's chunks into the arrays of {@code into}. */
    static final class Receiver {
        private final EmbeddingPartition into;
        private long received;
        private String problem;

        Receiver(EmbeddingPartition into) {
            this.into = into;
        }

        /** Takes one chunk; true once the partition is complete or the transfer has failed ({@link #problem}). */
        boolean accept(Message m) {
            long total = floats(into);
            long first = m.longAt(FIRST);
            int n = m.payloadFloats();
            if (m.intAt(TYPE) != into.type
                    || m.intAt(PART) != into.part
                    || m.intAt(ROWS) != into.rows
                    || m.intAt(DIMENSION) != into.d
                    || m.longAt(TOTAL) != total) {
                problem = "chunk of type " + m.intAt(TYPE) + " part " + m.intAt(PART) + " (" + m.intAt(ROWS)
                        + " rows of " + m.intAt(DIMENSION) + ") where type " + into.type + " part " + into.part
                        + " (" + into.rows + " rows of " + into.d + ") was expected";
                return true;
            }
            if (first != received || first + n > total) {
                problem = "chunk at float " + first + " of " + total + " where " + received + " was expected";
                return true;
            }
            if (m.payloadChecksum() != m.intAt(CRC)) {
                problem = "checksum mismatch in the chunk at float " + first;
                return true;
            }
            long embeddingFloats = (long) into.rows * into.d;
            long end = first + n;
            if (first < embeddingFloats) {
                int k = (int) (Math.min(end, embeddingFloats) - first);
                m.payloadFloatsInto(0, k, into.embeddings, (int) first);
            }
            if (end > embeddingFloats) {
                long from = Math.max(first, embeddingFloats);
                m.payloadFloatsInto(
                        (int) (from - first), (int) (end - from), into.state, (int) (from - embeddingFloats));
            }
            received = end;
            return received == total;
        }

        /** Null when the partition arrived whole, else what went wrong. */
        String problem() {
            return problem;
        }

        boolean complete() {
            return problem == null && received == floats(into);
        }
    }
}
