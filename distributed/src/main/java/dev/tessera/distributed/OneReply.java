package dev.tessera.distributed;

import org.agrona.concurrent.UnsafeBuffer;

/** The single reply a request expects, copied off the poller's buffer so the requesting thread can read it. */
final class OneReply implements Replies.Sink {
    private static final int MAX_FRAME = 256;
    private final UnsafeBuffer copy = new UnsafeBuffer(new byte[MAX_FRAME]);
    private final Message message = new Message();
    private volatile boolean done;

    @Override
    public boolean accept(Message m) {
        if (m.frameLength() > MAX_FRAME || done) {
            return false; // not a reply this request can take (a chunk): wait for the one it asked for
        }
        m.copyTo(copy);
        message.wrap(copy, 0, m.frameLength());
        done = true;
        return true;
    }

    /** The reply, once it came; throws {@link TransferException} saying {@code what} after {@code timeoutNanos}. */
    Message await(AeronNode node, long timeoutNanos, String what) {
        if (!node.awaitUntil(() -> done, node.after(timeoutNanos), AeronNode.MAX_PARK_NANOS)) {
            throw new TransferException("no reply within " + timeoutNanos / 1_000_000_000 + " s: " + what);
        }
        return message;
    }
}
