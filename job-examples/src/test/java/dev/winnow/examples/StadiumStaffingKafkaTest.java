package dev.winnow.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.winnow.connectors.avro.AvroFormat;
import dev.winnow.connectors.testing.KafkaBroker;
import dev.winnow.examples.io.CsvFiles;
import dev.winnow.examples.report.StaffingReport;
import dev.winnow.examples.testing.KafkaJobTest;
import dev.winnow.examples.testing.TestJobs;
import dev.winnow.flink.types.StaffingWindow;
import dev.winnow.flink.zone.ZoneConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** stadium-staffing's schedule as Avro on a real in-process KRaft broker: the same lines as schedule.csv, each once. */
class StadiumStaffingKafkaTest extends KafkaJobTest {
    @Test
    void theScheduleGoesToKafkaExactlyOnceAsInTheCsv() throws Exception {
        KafkaBroker broker = BROKER.get();
        broker.createTopic("schedule", 1);
        ZoneConfig zones = StadiumStaffingJobTest.runConcourse("stadium-staffing schedule to kafka", out, "--kafka", broker.bootstrap(), "--schedule-topic", "schedule");

        List<StaffingReport.Scheduled> csv = StaffingReport.read(out, zones).schedule();
        assertEquals(20, csv.size(), "10 windows of 2 s in each of two zones");
        List<ConsumerRecord<byte[], byte[]>> got = broker.readCommitted("schedule", csv.size(), Duration.ofSeconds(2));
        List<String> fromKafka = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : got) {
            StaffingWindow w = AvroFormat.STAFFING_WINDOW.decode(r.value());
            assertEquals(w.zone, new String(r.key()), "keyed by zone");
            fromKafka.add(StaffingReport.scheduleLine(w));
        }
        // the CSV's lines as the job wrote them (StaffingReport::scheduleLine), not parsed and formatted again
        List<String> fromCsv = new ArrayList<>();
        for (String[] f : CsvFiles.read(out.resolve("schedule"))) fromCsv.add(String.join(",", f));
        fromKafka.sort(null);
        fromCsv.sort(null);
        assertEquals(fromCsv, fromKafka);
    }
}
