package dev.tessera.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Properties;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class TesseraSparkTest {
    @Test
    void kryoDefaultsApplyUnlessSparkSubmitGaveAValue() {
        SparkConf plain = TesseraSpark.defaults(new Properties());
        assertEquals("false", plain.get("spark.kryo.referenceTracking"));
        assertEquals("true", plain.get("spark.kryo.unsafe"));

        Properties submitted = new Properties();
        submitted.setProperty("spark.kryo.unsafe", "false");
        SparkConf conf = TesseraSpark.defaults(submitted);
        assertFalse(conf.contains("spark.kryo.unsafe"), "spark-submit's value is left to win");
        assertEquals("false", conf.get("spark.kryo.referenceTracking"));
    }
}
