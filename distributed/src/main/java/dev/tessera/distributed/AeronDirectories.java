package dev.tessera.distributed;

import io.aeron.CommonContext;
import java.io.File;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.agrona.IoUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Tessera's embedded media drivers keep their files: a fresh directory per driver beside Aeron's
 * default (on Linux, in {@code /dev/shm}: memory), named with the owning process's pid. A driver deletes its
 * directory when it closes; a process that is killed cannot, and its term buffers would hold memory until
 * the machine restarts (a day of killed trainers and probes held 23 GB here). So every new directory first
 * sweeps away those whose process is gone.
 */
final class AeronDirectories {
    private static final Logger LOG = LoggerFactory.getLogger(AeronDirectories.class);
    private static final String MARK = "-tessera-p";
    private static final Pattern OWNER = Pattern.compile(Pattern.quote(MARK) + "(\\d+)-");

    private AeronDirectories() {}

    /** A new directory for a driver called {@code name}, after removing those of dead processes. */
    static String fresh(String name) {
        String base = CommonContext.getAeronDirectoryName();
        sweep(new File(base).getAbsoluteFile().getParentFile(), new File(base).getName());
        return base + MARK + ProcessHandle.current().pid() + "-" + name + "-" + UUID.randomUUID();
    }

    /** Deletes the directories in {@code parent} named {@code baseName}-tessera-p<pid>-… whose process has exited. */
    static int sweep(File parent, String baseName) {
        File[] all = parent == null ? null : parent.listFiles();
        if (all == null) {
            return 0;
        }
        int removed = 0;
        for (File dir : all) {
            String n = dir.getName();
            if (!n.startsWith(baseName + MARK)) {
                continue;
            }
            Matcher m = OWNER.matcher(n);
            if (m.find() && !alive(Long.parseLong(m.group(1)))) {
                IoUtil.delete(dir, true);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} Aeron directories of exited processes from {}", removed, parent);
        }
        return removed;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
