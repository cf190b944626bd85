package dev.predictfn.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.predictfn.records.RecordJson;
import dev.predictfn.release.CloudRunSandbox.Result;
import dev.predictfn.support.Bundles;
import dev.predictfn.support.RequiresCommands;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cloudrun/setup-records.sh} against {@link FakeGcloud} and {@link FakeBq}: the sink routes
 * the service's records and nothing else into partitioned tables, its writer may edit that dataset
 * and nothing more, the card's metrics land once per model, the view is created once the sink's
 * table exists and reads only fields the records have.
 */
@RequiresCommands({"bash", "jq"})
class SetupRecordsScriptTest {
  static final String DATASET = "demo-project:prediction_records";
  private static final String RECORDS = "demo-project.prediction_records.run_googleapis_com_stdout";

  @TempDir Path dir;
  private CloudRunSandbox cloud;
  private Path card;

  @BeforeEach
  void sandbox() throws Exception {
    cloud = new CloudRunSandbox(dir);
    card = Files.write(dir.resolve("model-card.json"), Bundles.builtIn("model-card.json"));
  }

  private Result script(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--card";
    all[1] = card.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return cloud.run("setup-records.sh", all);
  }

  @Test
  @SuppressWarnings("unchecked")
  void routesTheRecordsToADatasetItsSinkAloneMayWriteAndAddsTheViewOnceRecordsExist()
      throws Exception {
    Result first = script();
    assertEquals(0, first.status(), first.describe());
    assertTrue(first.err().contains("no records yet"), first.describe());

    Map<String, Object> gcloud = cloud.gcloudState();
    Map<String, Map<String, Object>> sinks = (Map<String, Map<String, Object>>) gcloud.get("sinks");
    Map<String, Object> sink = sinks.get("prediction-function-records");
    assertEquals(
        "bigquery.googleapis.com/projects/demo-project/datasets/prediction_records",
        sink.get("destination"));
    assertEquals(true, sink.get("partitioned"));
    String filter = (String) sink.get("filter");
    assertTrue(filter.contains("resource.labels.service_name=\"prediction-function\""), filter);
    assertTrue(
        filter.contains(
            "jsonPayload."
                + RecordJson.RECORD
                + "=(\""
                + RecordJson.PREDICTION
                + "\" OR \""
                + RecordJson.FEEDBACK
                + "\")"),
        "the filter selects exactly what records.RecordJson writes: " + filter);
    String writer = (String) sink.get("writerIdentity");

    Map<String, Object> bigQuery = cloud.bigQuery();
    assertEquals(List.of(DATASET), bigQuery.get("datasets"));
    assertEquals(
        List.of(DATASET + " " + writer + " roles/bigquery.dataEditor"), bigQuery.get("bindings"));
    List<String> projectGrants = (List<String>) gcloud.getOrDefault("bindings", List.of());
    assertFalse(
        projectGrants.stream().anyMatch(b -> b.contains(writer)),
        "the sink's writer has no grant beyond its dataset: " + projectGrants);
    Map<String, Map<String, Object>> tables =
        (Map<String, Map<String, Object>>) bigQuery.get("tables");
    List<Map<String, String>> cards =
        (List<Map<String, String>>)
            tables.get("demo-project.prediction_records.model_cards").get("rows");
    assertEquals(1, cards.size());
    String sha = Bundles.readBuiltIn().card().modelSha256();
    assertEquals(sha, cards.get(0).get("model_sha256"));
    assertEquals(
        Bundles.readBuiltIn().card().evaluation().accuracy(),
        Double.parseDouble(cards.get(0).get("accuracy")));
    assertFalse(tables.containsKey("demo-project.prediction_records.online_accuracy"));

    // The sink delivered its first record; run again: the view appears, nothing is duplicated.
    cloud.sinkCreatedTable(RECORDS);
    Result second = script();
    assertEquals(0, second.status(), second.describe());
    bigQuery = cloud.bigQuery();
    tables = (Map<String, Map<String, Object>>) bigQuery.get("tables");
    String view =
        (String) tables.get("demo-project.prediction_records.online_accuracy").get("definition");
    assertTrue(view.contains("FROM `" + RECORDS + "`"), view);
    assertTrue(view.contains("`demo-project.prediction_records.model_cards`"), view);
    assertEquals(
        1,
        ((List<?>) tables.get("demo-project.prediction_records.model_cards").get("rows")).size(),
        "a card seen before is not added again");
    assertEquals(1, ((Map<?, ?>) cloud.gcloudState().get("sinks")).size());
    assertEquals(
        2,
        cloud.calls("logging", "sinks", "update").size()
            + cloud.calls("logging", "sinks", "create").size());

    // Once more: the view is replaced in place (the SQL may have changed).
    Result third = script();
    assertEquals(0, third.status(), third.describe());
    assertTrue(cloud.bqCalls().stream().anyMatch(c -> c.get(0).equals("update")), "view updated");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBucketGetsItsOwnSinkWhoseWriterMayOnlyCreateObjectsInIt() throws Exception {
    Result result = script("--bucket", "demo-records");
    assertEquals(0, result.status(), result.describe());

    Map<String, Object> gcloud = cloud.gcloudState();
    Map<String, Map<String, Object>> sinks = (Map<String, Map<String, Object>>) gcloud.get("sinks");
    Map<String, Object> gcs = sinks.get("prediction-function-records-gcs");
    assertEquals("storage.googleapis.com/demo-records", gcs.get("destination"));
    assertEquals(sinks.get("prediction-function-records").get("filter"), gcs.get("filter"));
    assertTrue(((List<String>) gcloud.get("resources")).contains("buckets gs://demo-records"));
    assertEquals(
        List.of(
            "storage buckets gs://demo-records "
                + gcs.get("writerIdentity")
                + " roles/storage.objectCreator"),
        gcloud.get("bindings"));
  }

  @Test
  void aDryRunChangesNothing() throws Exception {
    Result result = script("--bucket", "demo-records", "--dry-run");
    assertEquals(0, result.status(), result.describe());
    assertTrue(
        result.err().contains("+ gcloud logging sinks create prediction-function-records"),
        result.describe());
    assertTrue(
        result.err().contains("+ bq mk --use_legacy_sql=false $'--view=--"), result.describe());
    assertTrue(((Map<?, ?>) cloud.gcloudState().getOrDefault("sinks", Map.of())).isEmpty());
    assertTrue(((List<?>) cloud.bigQuery().getOrDefault("datasets", List.of())).isEmpty());
    assertEquals(null, cloud.gcloudState().get("bindings"));
  }

  @Test
  void mistakesAreRefusedWithWhatToFix() {
    Result noCard = cloud.run("setup-records.sh", "--card", dir.resolve("none.json").toString());
    assertEquals(1, noCard.status());
    assertTrue(noCard.err().contains("no model card at"), noCard.describe());
    Result badBucket = script("--bucket", "Not_A_Bucket");
    assertEquals(1, badBucket.status());
    assertTrue(badBucket.err().contains("--bucket must be a bucket name"), badBucket.describe());
  }

  /**
   * Every field the view reads from a record is one the records have: the view and {@link
   * RecordJson} share one contract.
   */
  @Test
  void theViewReadsOnlyFieldsTheRecordsHave() throws Exception {
    Set<String> written = new HashSet<>();
    for (Field field : RecordJson.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        written.add((String) field.get(null));
      }
    }
    String sql = Files.readString(Path.of("cloudrun/online-accuracy.sql"));
    Set<String> read = new TreeSet<>();
    Matcher payload = Pattern.compile("jsonPayload\\.(\\w+)").matcher(sql);
    while (payload.find()) {
      read.add(payload.group(1));
    }
    Matcher probability = Pattern.compile("\\bpr\\.(\\w+)").matcher(sql);
    while (probability.find()) {
      read.add(probability.group(1));
    }
    assertTrue(read.size() >= 9, read.toString());
    Set<String> unknown = new TreeSet<>(read);
    unknown.removeAll(written);
    assertEquals(Set.of(), unknown, "fields the view reads that no record has");
    assertTrue(sql.contains("jsonPayload.record = '" + RecordJson.PREDICTION + "'"));
    assertTrue(sql.contains("jsonPayload.record = '" + RecordJson.FEEDBACK + "'"));
  }
}
