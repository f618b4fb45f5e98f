package dev.tessera.core.config;

import dev.tessera.core.util.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated config: entity types, relations and every top-level setting with its default filled in.
 * Immutable; {@link #withRelations} returns a copy, used when relations are discovered from data.
 */
public final class TesseraConfig {
    private final List<EntityTypeConfig> entities;
    private final List<RelationConfig> relations;
    private final Map<String, Object> settings;
    private final Map<String, Object> relationTemplate;

    TesseraConfig(List<EntityTypeConfig> entities, List<RelationConfig> relations, Map<String, Object> settings,
                  Map<String, Object> relationTemplate) {
        this.entities = List.copyOf(entities);
        this.relations = List.copyOf(relations);
        this.settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        this.relationTemplate = relationTemplate == null ? null
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(relationTemplate));
    }

    public List<EntityTypeConfig> entities() {
        return entities;
    }

    public List<RelationConfig> relations() {
        return relations;
    }

    public Optional<EntityTypeConfig> entity(String name) {
        return entities.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public int entityTypeId(String name) {
        for (int i = 0; i < entities.size(); i++) {
            if (entities.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown entity type '" + name + "'");
    }

    public boolean discoverRelations() {
        return (Boolean) settings.get("discover_relations");
    }

    /** The relation a newly discovered relation name gets: the template's settings under that name. */
    public RelationConfig discoveredRelation(String name) {
        Map<String, Object> t = relationTemplate == null ? Map.of() : relationTemplate;
        String onlyType = entities.size() == 1 ? entities.get(0).name() : null;
        String lhs = (String) t.getOrDefault("lhs", onlyType);
        String rhs = (String) t.getOrDefault("rhs", onlyType);
        return new RelationConfig(name, lhs, rhs, (String) t.getOrDefault("operator", "none"),
                ((Number) t.getOrDefault("weight", 1.0)).doubleValue(), (Boolean) t.getOrDefault("all_negs", false));
    }

    /** A copy with other entity settings (e.g. {@code --partitions} applied); relations must still fit. */
    public TesseraConfig withEntities(List<EntityTypeConfig> newEntities) {
        return ConfigLoader.parse(new TesseraConfig(newEntities, relations, settings, relationTemplate).toJson(),
                "config with overridden entity settings");
    }

    public TesseraConfig withRelations(List<RelationConfig> newRelations) {
        return new TesseraConfig(entities, newRelations, settings, relationTemplate);
    }

    /** A copy with one top-level setting replaced (command-line overrides such as {@code --epochs}). */
    public TesseraConfig with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(settings);
        copy.put(key, value);
        return new TesseraConfig(entities, relations, copy, relationTemplate);
    }

    public Object get(String key) {
        if (!settings.containsKey(key)) {
            throw new IllegalArgumentException("no top-level config key '" + key + "'");
        }
        return settings.get(key);
    }

    public int getInt(String key) {
        return ((Number) get(key)).intValue();
    }

    public double getDouble(String key) {
        return ((Number) get(key)).doubleValue();
    }

    public String getString(String key) {
        return (String) get(key);
    }

    public boolean getBool(String key) {
        return (Boolean) get(key);
    }

    public int dimension() {
        return getInt("dimension");
    }

    /** The config as JSON, in the key names it was read with; {@link ConfigLoader#parse} reads it back. */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> ents = new LinkedHashMap<>();
        for (EntityTypeConfig e : entities) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("num_partitions", e.numPartitions());
            m.put("featurized", e.featurized());
            if (e.dimension() != null) {
                m.put("dimension", e.dimension());
            }
            ents.put(e.name(), m);
        }
        root.put("entities", ents);
        List<Object> rels = new ArrayList<>();
        for (RelationConfig r : relations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("lhs", r.lhs());
            m.put("rhs", r.rhs());
            m.put("operator", r.operator());
            m.put("weight", r.weight());
            m.put("all_negs", r.allNegs());
            rels.add(m);
        }
        root.put("relations", rels);
        if (relationTemplate != null) {
            root.put("relation_template", relationTemplate);
        }
        settings.forEach((k, v) -> {
            if (v != null) {
                root.put(k, v);
            }
        });
        return Json.write(root);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TesseraConfig c && c.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }
}
