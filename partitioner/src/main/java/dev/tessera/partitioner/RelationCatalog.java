package dev.tessera.partitioner;

import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What the parser needs to know about relations: the entity types of each declared relation, or, when
 * relations are discovered, the types every new relation name gets. Serializable: it travels to Spark tasks.
 */
public final class RelationCatalog implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, int[]> declared = new HashMap<>();
    private final int[] discoveredTypes;
    private final String implicitRelation;

    public RelationCatalog(TesseraConfig config) {
        for (RelationConfig r : config.relations()) {
            declared.put(r.name(), new int[] {config.entityTypeId(r.lhs()), config.entityTypeId(r.rhs())});
        }
        if (config.discoverRelations()) {
            RelationConfig template = config.discoveredRelation("(template)");
            discoveredTypes = new int[] {config.entityTypeId(template.lhs()), config.entityTypeId(template.rhs())};
        } else {
            discoveredTypes = null;
        }
        implicitRelation = config.relations().size() == 1
                ? config.relations().get(0).name()
                : config.relations().isEmpty() && config.discoverRelations() ? "link" : null;
    }

    /** lhs and rhs entity type ids of a relation, or null when the relation is unknown and not discoverable. */
    public int[] types(String relation) {
        int[] t = declared.get(relation);
        return t != null ? t : discoveredTypes;
    }

    /**
     * The relation of input without a relation column: the one declared relation, or "link" when relations
     * are discovered and none is declared; null when that is ambiguous.
     */
    public String implicitRelation() {
        return implicitRelation;
    }

    public String declaredNames() {
        return String.join(", ", new java.util.TreeSet<>(declared.keySet()));
    }
}
