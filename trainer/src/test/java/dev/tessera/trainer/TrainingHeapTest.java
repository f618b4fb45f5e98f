package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The free ratios take effect whatever the JVM started with (here G1's defaults, 40% and 70%). */
class TrainingHeapTest {
    @Test
    void lowersBothFreeRatios() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assertTrue(TrainingHeap.keepTight());
        assertEquals("2", vm.getVMOption("MinHeapFreeRatio").getValue());
        assertEquals("5", vm.getVMOption("MaxHeapFreeRatio").getValue());
        // Idempotent: a second call finds them set and changes nothing.
        assertTrue(TrainingHeap.keepTight());
        assertEquals("5", vm.getVMOption("MaxHeapFreeRatio").getValue());
    }
}
