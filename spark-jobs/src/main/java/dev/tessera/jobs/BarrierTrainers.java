package dev.tessera.jobs;

import dev.tessera.core.config.ConfigLoader;
import dev.tessera.core.config.TesseraConfig;
import dev.tessera.core.util.Json;
import dev.tessera.distributed.DistributedSettings;
import dev.tessera.distributed.DistributedTrainer;
import dev.tessera.distributed.Endpoints;
import dev.tessera.model.backend.Backends;
import dev.tessera.trainer.TrainingListener;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * N distributed trainers as one Spark barrier stage (DESIGN.md §6): Spark starts the N tasks together (or
 * none), each task is one trainer of rank {@code partitionId}, and {@link BarrierTaskContext#allGather}
 * tells every trainer everyone's Aeron endpoint. The graph and checkpoint directories must be on a file
 * system every executor reads; the config's text travels with the tasks.
 */
final class BarrierTrainers {
    private BarrierTrainers() {}

    /** What every task needs, serialised with it. */
    record Job(
            int trainers,
            String graph,
            String checkpoint,
            String configText,
            String configSource,
            Integer epochs,
            String networkInterface,
            String secretFile)
            implements Serializable {}

    /** Runs the stage and returns rank 0's summary of the job. */
    static Map<String, Object> run(SparkSession spark, Job job) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> ranks = IntStream.range(0, job.trainers()).boxed().toList();
        List<String> summaries = jsc.parallelize(ranks, job.trainers())
                .rdd()
                .barrier()
                .mapPartitions(new Task(job), false, ClassTag$.MODULE$.apply(String.class))
                .toJavaRDD()
                .collect();
        return Json.parseObject(summaries.get(0));
    }

    /** One trainer: publish its endpoint, learn everyone's, train, and report (rank 0 for the whole job). */
    private static final class Task extends AbstractFunction1<Iterator<Integer>, Iterator<String>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Job job;

        Task(Job job) {
            this.job = job;
        }

        @Override
        public Iterator<String> apply(Iterator<Integer> partition) {
            BarrierTaskContext context = BarrierTaskContext.get();
            int rank = context.partitionId();
            InetSocketAddress mine = Endpoints.local(job.networkInterface());
            String[] all = context.allGather(mine.getHostString() + ":" + mine.getPort());
            List<InetSocketAddress> endpoints = Endpoints.parse(String.join(",", all));
            TesseraConfig config = ConfigLoader.parse(job.configText(), job.configSource());
            if (job.epochs() != null) {
                config = config.withNumEpochs(job.epochs());
            }
            DistributedSettings settings = DistributedSettings.defaults();
            if (job.secretFile() != null) {
                settings = settings.withSecretFile(Path.of(job.secretFile()));
            }
            DistributedTrainer.Result r = DistributedTrainer.run(
                    new DistributedTrainer.Spec(
                            rank, endpoints, Path.of(job.graph()), Path.of(job.checkpoint()), config, settings),
                    Backends.create(config.backend()),
                    new TrainingListener() {});
            return CollectionConverters.asScala(List.of(Json.write(summary(r))).iterator());
        }
    }

    static Map<String, Object> summary(DistributedTrainer.Result r) {
        long edges = 0;
        for (Map<String, Object> e : r.trainerEpochs()) {
            edges += ((Number) e.get("edges")).longValue();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trainers", r.trainers());
        out.put("epochs", r.training().epochs());
        out.put("seconds", r.training().seconds());
        out.put("edges_per_s", edges / Math.max(r.training().seconds(), 1e-9));
        out.put("final_loss", r.training().finalLoss());
        out.put("buckets_per_epoch", new ArrayList<>(r.epochs()));
        out.put("trainer_epochs", new ArrayList<>(r.trainerEpochs()));
        return out;
    }
}
