package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The shipped recipes load and pass the training checks, and they apply to any single-type graph. */
class RecipeConfigsTest {
    @Test
    void everyRecipeIsATrainableConfigForOneEntityType() throws IOException {
        List<Path> recipes;
        try (Stream<Path> files = Files.list(Path.of("..", "examples", "configs", "recipes"))) {
            recipes = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(2, recipes.size(), recipes.toString());
        for (Path recipe : recipes) {
            TesseraConfig config = ConfigLoader.load(recipe);
            TrainingSettings s = TrainingSettings.of(config);
            assertTrue(config.discoverRelations() && config.relations().isEmpty(), recipe + " discovers relations");
            assertEquals(
                    List.of("entity"),
                    config.entities().stream().map(e -> e.name()).toList(),
                    recipe.toString());
            assertEquals(0, s.evalFraction(), recipe + " trains on every edge");
            assertTrue(s.validation().enabled(), recipe + " validates");
        }
    }
}
