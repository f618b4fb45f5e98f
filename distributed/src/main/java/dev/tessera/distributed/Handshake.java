package dev.tessera.distributed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge–response on a shared secret: rank 0 sends a random nonce, the joining trainer answers with
 * HMAC-SHA256(secret, nonce ‖ rank). The secret never crosses the wire, and an answer cannot be replayed
 * for another nonce or another rank.
 */
final class Handshake {
    static final int NONCE_BYTES = 32;
    static final int MAC_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secret;

    private Handshake(byte[] secret) {
        this.secret = secret;
    }

    /** The handshake of the secret in {@code file} (its bytes, trailing line breaks ignored). */
    static Handshake ofSecretFile(Path file) {
        try {
            String text = Files.readString(file).stripTrailing();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("secret file " + file + " is empty");
            }
            return new Handshake(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read secret file " + file + ": " + e.getMessage(), e);
        }
    }

    static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    byte[] proof(byte[] nonce, int rank) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(nonce);
            mac.update(ByteBuffer.allocate(4).putInt(rank).array());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    boolean verify(byte[] nonce, int rank, byte[] proof) {
        return MessageDigest.isEqual(proof(nonce, rank), proof);
    }
}
