package dev.tessera.distributed;

import java.util.function.Consumer;

/** Request–reply over a node: sends a frame with a fresh correlation id and waits for its one reply. */
final class Rpc {
    private final AeronNode node;
    private final Replies replies;
    private final ThreadLocal<MessageWriter> writers;

    Rpc(AeronNode node, Replies replies, int maxPayloadFloats) {
        this.node = node;
        this.replies = replies;
        this.writers = ThreadLocal.withInitial(() -> new MessageWriter(maxPayloadFloats));
    }

    AeronNode node() {
        return node;
    }

    Replies replies() {
        return replies;
    }

    /** This thread's writer (frames built in it must be sent before the next is started). */
    MessageWriter writer() {
        return writers.get();
    }

    /** Sends a {@code type} frame with {@code body}'s fields to {@code peer} and returns its reply. */
    Message call(int peer, MessageType type, Consumer<MessageWriter> body, long timeoutNanos, String what) {
        OneReply reply = new OneReply();
        long id = replies.register(reply);
        try {
            MessageWriter w = writer().start(type, node.rank(), id);
            body.accept(w);
            node.send(peer, w);
            return reply.await(node, timeoutNanos, what + " (trainer " + peer + " at " + node.endpoint(peer) + ")");
        } finally {
            replies.cancel(id);
        }
    }

    /** Sends a {@code type} frame answering request {@code correlation} of {@code peer}. */
    void reply(int peer, long correlation, MessageType type, Consumer<MessageWriter> body) {
        MessageWriter w = writer().start(type, node.rank(), correlation);
        body.accept(w);
        node.send(peer, w);
    }
}
