package dev.tessera.core.config;

/** An allowed numeric interval for a config value; prints the way error messages quote it. */
public record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {

    public static Range atLeast(double min) {
        return new Range(min, true, Double.POSITIVE_INFINITY, false);
    }

    public static Range above(double min) {
        return new Range(min, false, Double.POSITIVE_INFINITY, false);
    }

    public static Range between(double min, double max) {
        return new Range(min, true, max, true);
    }

    public static Range halfOpen(double min, double max) {
        return new Range(min, true, max, false);
    }

    public boolean contains(double v) {
        boolean lo = minInclusive ? v >= min : v > min;
        boolean hi = maxInclusive ? v <= max : v < max;
        return lo && hi && !Double.isNaN(v);
    }

    @Override
    public String toString() {
        if (Double.isInfinite(max)) {
            return (minInclusive ? ">= " : "> ") + num(min);
        }
        return (minInclusive ? "[" : "(") + num(min) + ", " + num(max) + (maxInclusive ? "]" : ")");
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
