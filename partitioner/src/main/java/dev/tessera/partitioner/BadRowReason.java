package dev.tessera.partitioner;

/** Why an input row was rejected; reports count rows by these. */
public enum BadRowReason {
    WRONG_COLUMN_COUNT("wrong column count"),
    EMPTY_ID("empty entity id"),
    UNKNOWN_RELATION("unknown relation"),
    BAD_WEIGHT("weight is not a finite number"),
    WRONG_ENTITY_TYPE("entity of the wrong type for its relation"),
    UNKNOWN_ENTITY_TYPE("unknown entity type");

    private final String text;

    BadRowReason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
