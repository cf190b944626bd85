package dev.predictfn.evaluate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The join of prediction records with feedback records by prediction id, tallied per revision and
 * model, overall and per day (UTC, of the prediction). The rules, which the BigQuery view follows
 * too: a prediction id recorded twice (a sink may deliver an entry again) counts once; when one id
 * has several labels the latest label counts (a correction); labels may arrive in any order and any
 * time after the prediction; a label whose id has no prediction record (an unsampled row, another
 * service, a typo) joins nothing and is counted apart.
 */
final class OnlineAccuracy implements RecordLines.Consumer {
  /** Which revision served with which model. */
  record Key(String revision, String modelVersion, String modelSha256) {}

  /** One day of one revision. */
  static final class Day {
    long predictions;
    final OnlineMetrics metrics = new OnlineMetrics();
  }

  /** One revision and model: its predictions, the labelled ones' metrics, and each day's. */
  static final class Group {
    final Key key;
    long predictions;
    final OnlineMetrics metrics = new OnlineMetrics();
    final TreeMap<LocalDate, Day> days = new TreeMap<>();

    Group(Key key) {
      this.key = key;
    }
  }

  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::revision)
          .thenComparing(Key::modelVersion)
          .thenComparing(Key::modelSha256);

  private final Map<String, RecordLines.Prediction> predictions = new HashMap<>();
  private final Map<String, RecordLines.Feedback> labels = new HashMap<>();
  private long repeatedPredictions;
  private long feedbackRecords;

  @Override
  public void prediction(RecordLines.Prediction prediction) {
    if (predictions.putIfAbsent(prediction.id(), prediction) != null) {
      repeatedPredictions++;
    }
  }

  @Override
  public void feedback(RecordLines.Feedback feedback) {
    feedbackRecords++;
    labels.merge(
        feedback.id(),
        feedback,
        (earlier, later) -> later.epochMillis() >= earlier.epochMillis() ? later : earlier);
  }

  /** The groups, ordered by revision, model version and sha256. */
  List<Group> groups() {
    TreeMap<Key, Group> groups = new TreeMap<>(ORDER);
    for (RecordLines.Prediction prediction : predictions.values()) {
      Key key = new Key(prediction.revision(), prediction.modelVersion(), prediction.modelSha256());
      Group group = groups.computeIfAbsent(key, Group::new);
      LocalDate date =
          Instant.ofEpochMilli(prediction.epochMillis()).atZone(ZoneOffset.UTC).toLocalDate();
      Day day = group.days.computeIfAbsent(date, d -> new Day());
      group.predictions++;
      day.predictions++;
      RecordLines.Feedback label = labels.get(prediction.id());
      if (label != null) {
        group.metrics.add(prediction.label(), label.label(), prediction.probabilities());
        day.metrics.add(prediction.label(), label.label(), prediction.probabilities());
      }
    }
    return List.copyOf(groups.values());
  }

  /** Prediction records read, repeats included. */
  long predictionRecords() {
    return predictions.size() + repeatedPredictions;
  }

  /** Prediction records whose id had been read before. */
  long repeatedPredictions() {
    return repeatedPredictions;
  }

  /** Feedback records read. */
  long feedbackRecords() {
    return feedbackRecords;
  }

  /** Feedback records superseded by a later label for the same id. */
  long supersededLabels() {
    return feedbackRecords - labels.size();
  }

  /** Labelled ids with no prediction record. */
  long unjoinedLabels() {
    long unjoined = 0;
    for (String id : labels.keySet()) {
      if (!predictions.containsKey(id)) {
        unjoined++;
      }
    }
    return unjoined;
  }
}
