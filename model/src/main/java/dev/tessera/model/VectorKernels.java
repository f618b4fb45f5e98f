package dev.tessera.model;

import java.lang.reflect.Constructor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses between a scalar kernel and one written on the incubating Vector API, once per JVM. The Vector API
 * module must be added at JVM start ({@code --add-modules jdk.incubator.vector}, which {@code bin/tessera}
 * does for the commands that gain from it); without it the scalar kernel runs, as Lucene does with its
 * vectorisation provider. The vector class is loaded by name, so that its caller links without the module.
 */
public final class VectorKernels {
    private static final Logger LOG = LoggerFactory.getLogger(VectorKernels.class);
    private static final String MODULE = "jdk.incubator.vector";

    private VectorKernels() {}

    /**
     * The kernel named {@code vectorClass} where the Vector API is present and {@code -D<property>=scalar} was
     * not given, else {@code scalar}'s; one INFO line names the choice ({@code what}: the kernel's job, {@code
     * gain}: what the vector kernel buys, for the line that says how to get it).
     */
    public static <T> T preferred(
            Class<T> type, String vectorClass, String property, Supplier<T> scalar, String what, String gain) {
        if ("scalar".equals(System.getProperty(property))) {
            LOG.info("{}: scalar kernel (-D{}=scalar)", what, property);
            return scalar.get();
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            LOG.info(
                    "{}: scalar kernel; start the JVM with --add-modules {} for the vectorised one ({})",
                    what,
                    MODULE,
                    gain);
            return scalar.get();
        }
        try {
            // The kernels are package-private classes of their own packages, all in this (unnamed) module.
            Constructor<? extends T> constructor =
                    Class.forName(vectorClass).asSubclass(type).getDeclaredConstructor();
            constructor.setAccessible(true);
            T vector = constructor.newInstance();
            LOG.info("{}: vectorised kernel ({})", what, vector);
            return vector;
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("{}: the Vector API kernel failed to load, running the scalar one", what, e);
            return scalar.get();
        }
    }
}
