package dev.tessera.trainer.train;

import dev.tessera.core.config.TesseraConfig;
import java.util.List;

/** The (lhs type, rhs type) of each relation, by id. */
final class ModelParametersView {
    private ModelParametersView() {
    }

    static List<int[]> relationTypes(TesseraConfig config) {
        return config.relations().stream()
                .map(r -> new int[] {config.entityTypeId(r.lhs()), config.entityTypeId(r.rhs())}).toList();
    }
}
