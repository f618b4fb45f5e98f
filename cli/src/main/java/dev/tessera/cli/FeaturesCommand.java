package dev.tessera.cli;

import dev.tessera.core.util.Json;
import dev.tessera.gcn.NodeFiles;
import dev.tessera.storage.FeatureStore;
import dev.tessera.storage.GraphStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "features",
        mixinStandardHelpOptions = true,
        description = "Import entity features into a graph (replacing stored ones): the inputs of featurized "
                + "entity types in training and of GCN node classification.")
final class FeaturesCommand implements Callable<Integer> {
    @Mixin
    GraphOption graph;

    @Mixin
    JsonOption output;

    @Option(
            names = "--file",
            required = true,
            description = "entity<TAB>feature<TAB>value per line: feature a "
                    + "number from 0, value its weight (a featurized entity's embedding is the weighted mean of its "
                    + "features'). The file is checked whole before anything stored changes.")
    Path file;

    @Override
    public Integer call() {
        try (GraphStore store = GraphStore.open(graph.dir())) {
            FeatureStore.Info imported = NodeFiles.importFeatures(file, store);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("rows", imported.rows());
            out.put("features", imported.dimension());
            out.put("source", imported.source());
            System.out.println(
                    output.json
                            ? Json.write(out)
                            : String.format(
                                    Locale.ROOT,
                                    "imported features of %,d entities (feature numbers 0..%d) from %s",
                                    imported.rows(),
                                    imported.dimension() - 1,
                                    file));
            return 0;
        } catch (RuntimeException e) {
            return Output.failure(e, output.json);
        }
    }
}
