package dev.tessera.core.config;

import dev.tessera.core.util.Strings;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a YAML or JSON config (JSON is read as YAML, of which it is a subset) and validates it
 * against {@link ConfigSchema}: a training config ({@link #load}) or a GCN config ({@link #loadGcn}), with the
 * same messages and the same "did you mean" for unknown keys. It reports every problem at once, each with its
 * key path and line, rather than stopping at the first, so one edit fixes a config.
 */
public final class ConfigLoader {
    private final String source;
    /** Whether keys retired from the schema are dropped rather than refused (configs stored by older versions). */
    private final boolean dropRetired;

    private final List<String> problems = new ArrayList<>();
    private final YamlScalars scalars = new YamlScalars(problems);

    private ConfigLoader(String source, boolean dropRetired) {
        this.source = source;
        this.dropRetired = dropRetired;
    }

    public static TesseraConfig load(Path file) {
        return parse(read(file), file.toString());
    }

    public static TesseraConfig parse(String text, String source) {
        return new ConfigLoader(source, false).read(text);
    }

    /**
     * A config that Tessera itself stored (a graph's schema, a checkpoint's training config): as {@link #parse},
     * except that keys retired from the schema are dropped, since stores written before their removal hold every
     * default, those keys included.
     */
    public static TesseraConfig parseStored(String text, String source) {
        return new ConfigLoader(source, true).read(text);
    }

    /** A GCN config file ({@link ConfigSchema#GCN}); an empty file means every default. */
    public static ConfigValues loadGcn(Path file) {
        return parseGcn(read(file), file.toString());
    }

    public static ConfigValues parseGcn(String text, String source) {
        return new ConfigLoader(source, false).readGcn(text);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read the file: " + e.getMessage()));
        }
    }

    private Node compose(String text) {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            return new Yaml(options).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new ConfigException(source, List.of("not valid YAML or JSON: " + e.getMessage()));
        }
    }

    private TesseraConfig read(String text) {
        if (!(compose(text) instanceof MappingNode rootMap)) {
            throw new ConfigException(source, List.of("the config must be a mapping of keys to values"));
        }
        Map<String, Node> top = keys(rootMap, "", ConfigSchema.TOP, ConfigSchema.RETIRED_TOP);
        Map<ConfigKey, Object> settings = new LinkedHashMap<>();
        for (ConfigKey key : ConfigSchema.TOP) {
            if (key.isScalar()) {
                settings.put(key, scalars.value(top.get(key.name()), key.name(), key));
            }
        }
        List<EntityTypeConfig> entities = entities(top.get(ConfigSchema.ENTITIES.name()));
        checkPartitionCounts(entities);
        Set<String> typeNames = entities.stream().map(EntityTypeConfig::name).collect(Collectors.toSet());
        List<RelationConfig> relations = relations(top.get(ConfigSchema.RELATIONS.name()), typeNames);
        Map<String, Object> template = null;
        Node templateNode = top.get(ConfigSchema.RELATION_TEMPLATE.name());
        if (templateNode != null) {
            template = relationSettings(templateNode, "relation_template", false);
            checkTemplateTypes(template, typeNames, templateNode);
        }
        boolean discover = Boolean.TRUE.equals(settings.get(ConfigSchema.DISCOVER_RELATIONS));
        if (relations.isEmpty() && !discover && top.containsKey(ConfigSchema.ENTITIES.name())) {
            problems.add("relations: no relation is declared; declare some or set discover_relations: true");
        }
        if (discover
                && entities.size() > 1
                && (template == null
                        || !template.containsKey(ConfigSchema.LHS.name())
                        || !template.containsKey(ConfigSchema.RHS.name()))) {
            problems.add("relation_template: discover_relations needs relation_template.lhs and .rhs when there "
                    + "is more than one entity type (declared: " + String.join(", ", sorted(typeNames)) + ")");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new TesseraConfig(entities, relations, new ConfigValues(settings), template);
    }

    private ConfigValues readGcn(String text) {
        Node root = compose(text);
        Map<String, Node> given;
        if (root == null) {
            given = Map.of();
        } else if (root instanceof MappingNode map) {
            given = keys(map, "", ConfigSchema.GCN, List.of());
        } else {
            throw new ConfigException(source, List.of("the config must be a mapping of keys to values"));
        }
        Map<ConfigKey, Object> values = new LinkedHashMap<>();
        boolean layersAndFanoutsValid = true;
        for (ConfigKey key : ConfigSchema.GCN) {
            int before = problems.size();
            values.put(key, scalars.value(given.get(key.name()), key.name(), key));
            if (problems.size() > before && (key == ConfigSchema.GCN_LAYERS || key == ConfigSchema.GCN_FANOUTS)) {
                layersAndFanoutsValid = false;
            }
        }
        int layers = (Integer) values.get(ConfigSchema.GCN_LAYERS);
        @SuppressWarnings("unchecked")
        List<Integer> fanouts = (List<Integer>) values.get(ConfigSchema.GCN_FANOUTS);
        Node fanoutsNode = given.get(ConfigSchema.GCN_FANOUTS.name());
        if (fanoutsNode == null) {
            values.put(ConfigSchema.GCN_FANOUTS, defaultFanouts(fanouts, layers));
        } else if (layersAndFanoutsValid && fanouts.size() != layers) {
            problems.add(YamlScalars.at(fanoutsNode, "fanouts") + ": needs one entry per layer (" + layers + "), got "
                    + fanouts);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return new ConfigValues(values);
    }

    /** The default fan-outs cut or stretched to {@code layers}: deeper models repeat the last one. */
    private static List<Integer> defaultFanouts(List<Integer> base, int layers) {
        List<Integer> f = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            f.add(base.get(Math.min(i, base.size() - 1)));
        }
        return List.copyOf(f);
    }

    /** Buckets form one P×P grid, so every partitioned type must use the same P (unpartitioned types use 1). */
    private void checkPartitionCounts(List<EntityTypeConfig> entities) {
        EntityTypeConfig first = null;
        for (EntityTypeConfig e : entities) {
            if (e.numPartitions() == 1) {
                continue;
            }
            if (first == null) {
                first = e;
            } else if (e.numPartitions() != first.numPartitions()) {
                problems.add("entities." + e.name() + ".num_partitions: " + e.numPartitions()
                        + " differs from entities." + first.name() + ".num_partitions: " + first.numPartitions()
                        + "; partitioned entity types must share one partition count (others use 1)");
            }
        }
    }

    /** The mapping's entries by key, reporting unknown keys with the closest valid one and missing required keys. */
    private Map<String, Node> keys(MappingNode map, String path, List<ConfigKey> allowed, List<String> retired) {
        Map<String, Node> out = new LinkedHashMap<>();
        List<String> names = allowed.stream().map(ConfigKey::name).toList();
        for (NodeTuple t : map.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
            String where = join(path, String.valueOf(key));
            if (key == null) {
                problems.add(YamlScalars.at(t.getKeyNode(), path.isEmpty() ? "(top level)" : path)
                        + ": keys must be plain names");
            } else if (dropRetired && retired.contains(key)) {
                continue;
            } else if (out.containsKey(key)) {
                problems.add(YamlScalars.at(t.getKeyNode(), where) + ": duplicate key '" + key + "'");
            } else if (!names.contains(key)) {
                problems.add(YamlScalars.at(t.getKeyNode(), where) + ": unknown key '" + key + "'; did you mean '"
                        + Strings.closest(key, names) + "'?");
            } else {
                out.put(key, t.getValueNode());
            }
        }
        for (ConfigKey k : allowed) {
            if (k.required() && !out.containsKey(k.name())) {
                problems.add(YamlScalars.at(map, join(path, k.name())) + ": required key is missing (" + k.description()
                        + ")");
            }
        }
        return out;
    }

    private List<EntityTypeConfig> entities(Node node) {
        List<EntityTypeConfig> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        if (!(node instanceof MappingNode map)) {
            problems.add(YamlScalars.at(node, "entities") + ": expected a mapping of entity type name to settings");
            return out;
        }
        if (map.getValue().isEmpty()) {
            problems.add(YamlScalars.at(node, "entities") + ": at least one entity type is needed");
        }
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
                problems.add(YamlScalars.at(t.getKeyNode(), "entities") + ": entity type names must be plain names");
                continue;
            }
            String name = keyNode.getValue();
            String path = "entities." + name;
            if (name.isBlank()) {
                problems.add(YamlScalars.at(t.getKeyNode(), path) + ": an entity type needs a name");
                continue;
            }
            Node v = t.getValueNode();
            Map<String, Node> keys;
            if (v instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
                keys = Map.of();
            } else if (v instanceof MappingNode m) {
                keys = keys(m, path, ConfigSchema.ENTITY, ConfigSchema.RETIRED_ENTITY);
            } else {
                problems.add(YamlScalars.at(v, path) + ": expected a mapping of entity settings (or nothing)");
                continue;
            }
            Map<String, Object> values = values(keys, path, ConfigSchema.ENTITY);
            out.add(new EntityTypeConfig(name, (Integer) values.get(ConfigSchema.NUM_PARTITIONS.name()), (Boolean)
                    values.get(ConfigSchema.FEATURIZED.name())));
        }
        return out;
    }

    private List<RelationConfig> relations(Node node, Set<String> typeNames) {
        List<RelationConfig> out = new ArrayList<>();
        if (node == null || node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
            return out;
        }
        if (!(node instanceof SequenceNode seq)) {
            problems.add(YamlScalars.at(node, "relations") + ": expected a list of relations");
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String path = "relations[" + i + "]";
            Map<String, Object> v = relationSettings(item, path, true);
            if (v == null || v.get(ConfigSchema.NAME.name()) == null) {
                continue;
            }
            String name = (String) v.get(ConfigSchema.NAME.name());
            if (!seen.add(name)) {
                problems.add(YamlScalars.at(item, path + ".name") + ": relation '" + name + "' is declared twice");
            }
            for (String side : List.of("lhs", "rhs")) {
                String type = (String) v.get(side);
                if (type != null && !typeNames.contains(type)) {
                    problems.add(
                            YamlScalars.at(item, path + "." + side) + ": relation '" + name + "' names entity type '"
                                    + type + "', which is not declared under 'entities' (declared: "
                                    + String.join(", ", sorted(typeNames)) + ")");
                }
            }
            out.add(new RelationConfig(
                    name,
                    (String) v.get(ConfigSchema.LHS.name()),
                    (String) v.get(ConfigSchema.RHS.name()),
                    OperatorName.of((String) v.get(ConfigSchema.OPERATOR.name())),
                    (Double) v.get(ConfigSchema.WEIGHT.name()),
                    (Boolean) v.get(ConfigSchema.ALL_NEGS.name())));
        }
        return out;
    }

    private void checkTemplateTypes(Map<String, Object> template, Set<String> typeNames, Node node) {
        if (template == null) {
            return;
        }
        for (String side : List.of("lhs", "rhs")) {
            Object type = template.get(side);
            if (type != null && !typeNames.contains(type)) {
                problems.add(YamlScalars.at(node, "relation_template." + side)
                        + ": discovered relations would name entity type '"
                        + type + "', which is not declared under 'entities' (declared: "
                        + String.join(", ", sorted(typeNames)) + ")");
            }
        }
    }

    /** A relation's settings; a template may leave out name, lhs and rhs (and gets no defaults for them). */
    private Map<String, Object> relationSettings(Node node, String path, boolean named) {
        if (!(node instanceof MappingNode m)) {
            problems.add(YamlScalars.at(node, path) + ": expected a mapping of relation settings");
            return null;
        }
        List<ConfigKey> allowed = named
                ? ConfigSchema.RELATION
                : ConfigSchema.RELATION.stream()
                        .filter(k -> k != ConfigSchema.NAME)
                        .map(k -> new ConfigKey(
                                k.name(), k.kind(), k.defaultValue(), false, k.range(), k.allowed(), k.description()))
                        .toList();
        Map<String, Node> keys = keys(m, path, allowed, List.of());
        Map<String, Object> values = values(keys, path, allowed);
        if (!named) {
            values.values().removeIf(java.util.Objects::isNull);
        }
        return values;
    }

    private Map<String, Object> values(Map<String, Node> keys, String path, List<ConfigKey> allowed) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (ConfigKey k : allowed) {
            out.put(k.name(), scalars.value(keys.get(k.name()), join(path, k.name()), k));
        }
        return out;
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
