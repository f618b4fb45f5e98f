package dev.tessera;

import java.nio.file.Path;

/**
 * What node classification reads besides the graph: labels ({@code node<TAB>class}), the training,
 * validation and test nodes (one name per line), and node features to import into the graph first
 * ({@code node<TAB>feature<TAB>value}; null uses the features the graph already stores).
 */
public record GcnInputs(Path labels, Path train, Path valid, Path test, Path features) {}
