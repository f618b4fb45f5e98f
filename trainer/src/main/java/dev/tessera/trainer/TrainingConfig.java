package dev.tessera.trainer;

import dev.tessera.core.config.EntityTypeConfig;
import dev.tessera.core.config.RelationConfig;
import dev.tessera.core.config.TesseraConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The config a training run uses: the graph's entity types and relations (as imported, discovered relations
 * included) with the user config's model and training settings on top. A relation the user config also
 * declares takes its operator, weight and all_negs from there; one the graph lacks is an error. Entity
 * types keep the graph's partitioning, and take {@code featurized} from the config where it names them.
 */
public final class TrainingConfig {
    private TrainingConfig() {}

    public static TesseraConfig merge(TesseraConfig graph, TesseraConfig user) {
        Map<String, RelationConfig> declared =
                user.relations().stream().collect(Collectors.toMap(RelationConfig::name, r -> r));
        List<String> unknown = new ArrayList<>();
        for (String name : declared.keySet()) {
            if (graph.relations().stream().noneMatch(r -> r.name().equals(name))) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the config declares relations the graph does not have: " + unknown);
        }
        List<RelationConfig> relations = graph.relations().stream()
                .map(r -> {
                    RelationConfig u = declared.get(r.name());
                    if (u != null) {
                        return new RelationConfig(r.name(), r.lhs(), r.rhs(), u.operator(), u.weight(), u.allNegs());
                    }
                    if (user.discoverRelations()) {
                        RelationConfig t = user.discoveredRelation(r.name());
                        return new RelationConfig(r.name(), r.lhs(), r.rhs(), t.operator(), t.weight(), t.allNegs());
                    }
                    return r;
                })
                .toList();
        // Entity types and their partition counts always come from the graph as imported; whether a type is
        // featurized is a model choice, which the config makes where it names the type.
        List<EntityTypeConfig> entities = graph.entities().stream()
                .map(e -> user.entities().stream()
                        .filter(u -> u.name().equals(e.name()))
                        .findFirst()
                        .map(u -> new EntityTypeConfig(e.name(), e.numPartitions(), u.featurized()))
                        .orElse(e))
                .toList();
        return user.withRelations(relations).withEntities(entities);
    }
}
