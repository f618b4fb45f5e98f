package dev.tessera.trainer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingReportTest {
    @Test
    void aSelfContainedPageWithAChartPerMetric(@TempDir Path tmp) throws Exception {
        TrainingReport.write(
                tmp,
                "run <1>",
                List.of(
                        Map.of("epoch", 1, "loss", 2.0, "edges_per_s", 1500.0),
                        Map.of("epoch", 2, "loss", 1.0, "edges_per_s", 1700.0)));
        String html = Files.readString(tmp.resolve("report.html"));
        assertTrue(html.contains("<title>run &lt;1&gt;</title>"), "titles are escaped");
        assertTrue(html.contains(">loss</text>") && html.contains(">edges_per_s</text>"), "one chart per metric");
        assertTrue(html.contains("<polyline"), html);
        assertTrue(!html.contains("<script") && !html.contains("http"), "no scripts, no network");
        assertTrue(html.contains("<td>1.0000</td>") && html.contains("<td>1,700</td>"), html);
    }
}
