package dev.tessera.jobs;

import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.partitioner.BadRow;
import dev.tessera.partitioner.BadRowReason;
import dev.tessera.partitioner.EntityRecord;
import dev.tessera.partitioner.MappedEdge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Rejected rows of the whole import: counts by reason and the first few, in file order. */
final class BadRows {
    /** Where an entity's type comes from, as a wrong-type row's detail says. */
    private static final String TYPE_SOURCE = "its type where it first appears; a node file comes first";

    private final Map<Integer, String> files;
    private final LineIndex lines;
    private final Map<String, Long> byReason = new TreeMap<>();
    private final List<Located> first = new ArrayList<>();

    private record Located(int split, long line, BadRowSample sample) {}

    BadRows(Map<Integer, String> files, LineIndex lines) {
        this.files = files;
        this.lines = lines;
    }

    void add(ChunkSummary s) {
        for (BadRowReason r : BadRowReason.values()) {
            if (s.badCounts()[r.ordinal()] > 0) {
                byReason.merge(r.key(), s.badCounts()[r.ordinal()], Long::sum);
            }
        }
        for (BadRow b : s.badSamples()) {
            long line = lines.line(b.split(), b.chunk(), b.index());
            keep(new Located(
                    b.split(),
                    line,
                    new BadRowSample(files.get(b.split()), line, b.reason().key(), b.detail())));
        }
    }

    void addWrongType(long count, List<MappedEdge> samples, TesseraConfig config, EntityDictionary dictionary) {
        byReason.merge(BadRowReason.WRONG_ENTITY_TYPE.key(), count, Long::sum);
        Set<EntityRecord.Key96> keys = new HashSet<>();
        samples.forEach(e -> keys.add(new EntityRecord.Key96(e.wrongK1(), e.wrongK2())));
        Map<EntityRecord.Key96, String> names = dictionary.names(keys);
        for (MappedEdge e : samples) {
            RelationConfig rel = config.relations().get(e.rel());
            String side = e.wrongSide() == 0 ? "src" : "dst";
            String expected = e.wrongSide() == 0 ? rel.lhs() : rel.rhs();
            String detail = side + " '" + names.get(new EntityRecord.Key96(e.wrongK1(), e.wrongK2())) + "' is a "
                    + config.entities().get(e.wrongActualType()).name() + " (" + TYPE_SOURCE + ") "
                    + "but relation '" + rel.name() + "' expects a " + expected;
            long line = lines.line(e.split(), e.chunk(), e.line());
            keep(new Located(
                    e.split(),
                    line,
                    new BadRowSample(files.get(e.split()), line, BadRowReason.WRONG_ENTITY_TYPE.key(), detail)));
        }
    }

    private void keep(Located l) {
        first.add(l);
        first.sort(Comparator.comparingInt(Located::split).thenComparingLong(Located::line));
        while (first.size() > ImportJob.BAD_ROW_SAMPLES) {
            first.remove(first.size() - 1);
        }
    }

    long total() {
        return byReason.values().stream().mapToLong(Long::longValue).sum();
    }

    void check(long maxBadRows) {
        if (total() > maxBadRows) {
            StringBuilder sb = new StringBuilder();
            sb.append(total())
                    .append(" bad rows (more than --max-bad-rows ")
                    .append(maxBadRows)
                    .append("); nothing was written\n  by reason: ")
                    .append(byReason)
                    .append("\n  first rows:");
            for (Located l : first) {
                sb.append("\n    ").append(l.sample());
            }
            throw new ImportFailedException(sb.toString());
        }
    }

    Map<String, Object> report() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total", total());
        m.put("by_reason", new LinkedHashMap<>(byReason));
        m.put("first", first.stream().map(l -> l.sample().toString()).toList());
        return m;
    }
}
