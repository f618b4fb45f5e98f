package dev.tessera.distributed;

/**
 * The messages trainers exchange, with their bodies' fixed fields (byte offsets in the body, i32 unless
 * marked i64; see {@link Message} for the header). Chunk types carry a payload of little-endian 4-byte words
 * after their fixed fields: floats, or for {@link #HOME_MAP} i32s.
 */
public enum MessageType {
    /**
     * rank → rank 0: wants to train. Body: 0 trainers the sender was started with, 4 pad, 8 i64 the sender
     * process's instance (random: a JOIN sent again by the same process is not taken for a restart).
     */
    JOIN(1, 16, false),
    /** rank 0 → rank: prove the shared secret. Body: 0 nonce, 32 bytes. */
    CHALLENGE(2, Handshake.NONCE_BYTES, false),
    /** rank → rank 0: HMAC-SHA256 of the nonce and the rank under the secret. Body: 0 mac, 32 bytes. */
    PROOF(3, Handshake.MAC_BYTES, false),
    /**
     * rank 0 → rank: the join's answer once every trainer has joined (or, for a trainer joining again, once rank
     * 0 lets it in). Body: 0 status (0 welcome, 1 refused, 2 the job is over).
     */
    WELCOME(4, 4, false),
    /**
     * Generic answer. Body: 0 status ({@link #OK}, {@link #BUSY}, {@link #STALE}, {@link #FAILED}; to a return,
     * also {@link #RECOVERED}: taken in place of a dead home's partition restored from the checkpoint).
     */
    ACK(5, 4, false),
    /**
     * rank → lock server: a bucket, please. Body: 0 epoch, 4 last bucket's lhs, 8 its rhs (−1: none), 12 buckets
     * this rank trained this epoch, 16 the version of the homes it knows (an older one is answered with a
     * {@link #HOME_MAP} first).
     */
    BUCKET_REQUEST(10, 20, false),
    /**
     * lock server → rank. Body: 0 epoch, 4 status ({@link #GRANTED}, {@link #WAIT}, {@link #EPOCH_DONE},
     * {@link #LAPSED}: the asker was silent for a lease timeout, its partitions were taken back;
     * {@link #EVICTED}: the asker was taken for dead and its home partitions moved), 8 lhs,
     * 12 rhs, 16 index in the epoch's order, 20 buckets in the epoch, 24 i64 lease.
     */
    BUCKET_REPLY(11, 32, false),
    /**
     * rank → lock server: trained. Body: 0 epoch, 4 flags (1: handed back untrained), 8 i64 lease, 16 i64 edges trained, 24 i64 bytes the
     * rank has sent so far (for the job's progress line).
     */
    BUCKET_DONE(12, 32, false),
    /** rank → lock server: still training the leased bucket. Body: 0 i64 lease. */
    HEARTBEAT(13, 8, false),
    /** rank → home: send me a partition. Body: 0 type, 4 part. */
    PARTITION_FETCH(20, 8, false),
    /**
     * lock server → every trainer: trainer {@code holder} has been silent for a lease timeout; take back every
     * home partition that is out to it. Body: 0 holder, 4 pad.
     */
    PARTITION_RELEASE(22, 8, false),
    /**
     * A piece of a partition (embeddings then Adagrad state, as floats), from its home (the answer to a
     * fetch) or back to it. Body: 0 type, 4 part, 8 rows, 12 d, 16 i64 first float, 24 i64 floats in all,
     * 32 CRC32C of the payload, 36 pad; payload from 40.
     */
    PARTITION_CHUNK(21, 40, true),
    /**
     * A piece of the shared parameters as one float vector: deltas pushed to the parameter server, values
     * sent back. Body: 0 epoch, 4 flags ({@link #FINAL}: the sender's last push of the epoch), 8 first
     * float, 12 floats in all, 16 CRC32C of the payload, 20 pad; payload from 24.
     */
    PARAMETER_CHUNK(30, 24, true),
    /**
     * rank → rank 0: this rank's home partitions of the epoch are written. Body: 0 epoch, 4 working version,
     * 8 i64 edges this rank trained in the epoch, 16 i64 bytes it sent, 24 i64 bytes it received.
     */
    EPOCH_END(40, 32, false),
    /** rank 0 → rank: the epoch's checkpoint is committed. Body: 0 version. */
    EPOCH_COMMITTED(41, 4, false),
    /** rank → rank 0: done training; rank 0 may shut down. Body: 0 i32 pad. */
    LEAVE(42, 4, false),
    /**
     * rank 0 → ranks: which trainer is the home of each partition index ({@link HomeMap}), sent when a trainer is
     * taken for dead and to a trainer that asks with an older version. Body: 0 version, 4 partitions; payload
     * from 8: one i32 home per partition.
     */
    HOME_MAP(23, 8, true),
    /**
     * rank → rank 0: a copy this rank had fetched from a home since taken for dead was taken by the partition's
     * new home in place of the checkpoint's (sent before the rank's next bucket receipt). Body: 0 type, 4 part.
     */
    PARTITION_RECOVERED(24, 8, false);

    public static final int OK = 0;
    public static final int BUSY = 1;
    public static final int STALE = 2;
    public static final int FAILED = 3;
    public static final int RECOVERED = 5;

    public static final int GRANTED = 0;
    public static final int WAIT = 1;
    public static final int EPOCH_DONE = 2;
    public static final int LAPSED = 3;
    public static final int EVICTED = 4;

    public static final int FINAL = 1;

    private static final MessageType[] BY_CODE = new MessageType[64];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    final int code;
    final int fixedLength;
    final boolean hasPayload;

    MessageType(int code, int fixedLength, boolean hasPayload) {
        this.code = code;
        this.fixedLength = fixedLength;
        this.hasPayload = hasPayload;
    }

    /** The type with wire code {@code code}, or null. */
    static MessageType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
