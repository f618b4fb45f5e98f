package dev.tessera.jobs;

import java.io.Serializable;

/** One rejected row as reported: where it is and why. */
public record BadRowSample(String file, long line, String reason, String detail) implements Serializable {
    @Override
    public String toString() {
        return file + ":" + line + ": " + detail;
    }
}
