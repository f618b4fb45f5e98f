package dev.tessera.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module picture of docs/architecture.md, enforced on every module's main classes (this module's test
 * classpath holds them all): dependencies point one way, no package cycles, and Spark, Lucene, RocksDB and
 * the console each stay in the modules that own them.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tessera");
    }

    /**
     * core ← storage ← {partitioner, sampler} ← model ← {trainer, gcn, serving}; trainer ← distributed;
     * {distributed, gcn, serving} ← api ← {spark-jobs, cli} ← {examples, benchmarks}; {model, serving} ← nd4j,
     * which nothing links (the model module's Backends finds it through ServiceLoader).
     */
    static ArchRule modules() {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("core")
                .definedBy("dev.tessera.core..")
                .layer("storage")
                .definedBy("dev.tessera.storage..")
                .layer("partitioner")
                .definedBy("dev.tessera.partitioner..")
                .layer("sampler")
                .definedBy("dev.tessera.sampler..")
                .layer("model")
                .definedBy("dev.tessera.model..")
                .layer("trainer")
                .definedBy("dev.tessera.trainer..")
                .layer("distributed")
                .definedBy("dev.tessera.distributed..")
                .layer("gcn")
                .definedBy("dev.tessera.gcn..")
                .layer("serving")
                .definedBy("dev.tessera.serving..")
                .layer("nd4j")
                .definedBy("dev.tessera.nd4j..")
                .layer("api")
                .definedBy("dev.tessera")
                .layer("spark-jobs")
                .definedBy("dev.tessera.jobs..")
                .layer("cli")
                .definedBy("dev.tessera.cli..")
                .layer("examples")
                .definedBy("dev.tessera.examples..")
                .layer("benchmarks")
                .definedBy("dev.tessera.benchmarks..")
                .whereLayer("core")
                .mayNotAccessAnyLayer()
                .whereLayer("storage")
                .mayOnlyAccessLayers("core")
                .whereLayer("partitioner")
                .mayOnlyAccessLayers("core", "storage")
                .whereLayer("sampler")
                .mayOnlyAccessLayers("core", "storage")
                .whereLayer("model")
                .mayOnlyAccessLayers("core", "storage", "partitioner", "sampler")
                .whereLayer("trainer")
                .mayOnlyAccessLayers("core", "storage", "partitioner", "sampler", "model")
                .whereLayer("distributed")
                .mayOnlyAccessLayers("core", "storage", "partitioner", "sampler", "model", "trainer")
                .whereLayer("gcn")
                .mayOnlyAccessLayers("core", "storage", "partitioner", "sampler", "model")
                .whereLayer("serving")
                .mayOnlyAccessLayers("core", "storage", "partitioner", "sampler", "model")
                .whereLayer("nd4j")
                .mayOnlyAccessLayers("core", "storage", "model", "serving")
                .whereLayer("api")
                .mayOnlyAccessLayers(
                        "core",
                        "storage",
                        "partitioner",
                        "sampler",
                        "model",
                        "trainer",
                        "distributed",
                        "gcn",
                        "serving")
                .whereLayer("spark-jobs")
                .mayOnlyAccessLayers(
                        "core",
                        "storage",
                        "partitioner",
                        "sampler",
                        "model",
                        "trainer",
                        "distributed",
                        "gcn",
                        "serving",
                        "api")
                .whereLayer("cli")
                .mayOnlyAccessLayers(
                        "core",
                        "storage",
                        "partitioner",
                        "sampler",
                        "model",
                        "trainer",
                        "distributed",
                        "gcn",
                        "serving",
                        "api",
                        "spark-jobs")
                .whereLayer("examples")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("benchmarks")
                .mayNotBeAccessedByAnyLayer();
    }

    @Test
    void dependenciesPointOneWay() {
        modules().check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.tessera.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void sparkOnlyInSparkJobsExamplesAndBenchmarks() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.tessera.jobs..", "dev.tessera.examples..", "dev.tessera.benchmarks..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.spark..")
                .check(classes);
    }

    @Test
    void luceneOnlyInServing() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.tessera.serving..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.lucene..")
                .check(classes);
    }

    /** ND4J's 300 MB load only when selected: only its module and the example of using it with Tessera link it. */
    @Test
    void nd4jOnlyInItsModuleAndTheExample() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.tessera.nd4j..", "dev.tessera.examples..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.nd4j..")
                .check(classes);
    }

    @Test
    void aeronOnlyInDistributed() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.tessera.distributed..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.aeron..", "org.agrona..")
                .check(classes);
    }

    @Test
    void rocksDbOnlyInStorage() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.tessera.storage..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.rocksdb..")
                .check(classes);
    }

    /**
     * Storage owns every on-disk format: the column families, key layouts and value codecs are reached only
     * through its readers and writers, so a change of bytes on disk is a change inside one module. (The
     * classes are package-private too; this rule keeps them from being opened up again.)
     */
    @Test
    void onlyStorageKnowsKeysAndCodecs() {
        noClasses()
                .that()
                .resideOutsideOfPackage("dev.tessera.storage..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.tessera.storage.Keys")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.tessera.storage.ValueCodecs")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.tessera.storage.Family")
                .check(classes);
    }

    /** Library code logs through SLF4J; the command line (and the programs that are examples or benchmarks) print. */
    @Test
    void onlyProgramsPrint() {
        noClasses()
                .that()
                .resideOutsideOfPackages("dev.tessera.cli..", "dev.tessera.examples..", "dev.tessera.benchmarks..")
                .should()
                .accessField(System.class, "out")
                .orShould()
                .accessField(System.class, "err")
                .check(classes);
    }
}
