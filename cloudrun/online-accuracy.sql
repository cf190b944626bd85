-- Online accuracy per revision, model and day: the view cloudrun/setup-records.sh creates as
-- DATASET.online_accuracy, naming in the two FROM clauses below the table the logging sink
-- writes the service's prediction and feedback records into (records.RecordJson defines their
-- fields; PredictionRecordContractTest holds them) and the table of the model cards' metrics.
--
-- The join follows the same rules as the image's evaluate mode, so the two give the same numbers
-- (docs/operations.md, "Prediction records and online accuracy"):
--   * a prediction id recorded twice (a sink may deliver an entry again) counts once;
--   * when an id has several labels, the latest label counts (a correction);
--   * labels join whenever they arrive; labels for ids without a record join nothing;
--   * a day is the UTC day of the prediction;
--   * macro-F1 averages the F1 of every label that occurs as a truth or a prediction in the
--     group; log loss is the mean of -ln p(true label), p clipped to [1e-15, 1].
WITH
  predictions AS (
    SELECT
      jsonPayload.prediction_id AS prediction_id,
      ANY_VALUE(jsonPayload.revision) AS revision,
      ANY_VALUE(jsonPayload.model_version) AS model_version,
      ANY_VALUE(jsonPayload.model_sha256) AS model_sha256,
      ANY_VALUE(DATE(timestamp)) AS day,
      ANY_VALUE(jsonPayload.prediction) AS prediction,
      ANY_VALUE(jsonPayload.probabilities) AS probabilities
    FROM `RECORDS_TABLE`
    WHERE jsonPayload.record = 'prediction'
    GROUP BY prediction_id
  ),
  labels AS (
    SELECT
      jsonPayload.prediction_id AS prediction_id,
      ARRAY_AGG(jsonPayload.label ORDER BY timestamp DESC LIMIT 1)[OFFSET(0)] AS label
    FROM `RECORDS_TABLE`
    WHERE jsonPayload.record = 'feedback'
    GROUP BY prediction_id
  ),
  joined AS (
    SELECT
      p.revision,
      p.model_version,
      p.model_sha256,
      p.day,
      p.prediction,
      l.label,
      (SELECT pr.probability FROM UNNEST(p.probabilities) AS pr WHERE pr.label = l.label)
        AS p_true
    FROM predictions AS p
    JOIN labels AS l USING (prediction_id)
  ),
  group_labels AS (
    SELECT DISTINCT revision, model_version, model_sha256, day, label_value
    FROM joined, UNNEST([label, prediction]) AS label_value
  ),
  f1 AS (
    SELECT
      g.revision,
      g.model_version,
      g.model_sha256,
      g.day,
      IFNULL(
        SAFE_DIVIDE(
          2 * COUNTIF(j.label = g.label_value AND j.prediction = g.label_value),
          COUNTIF(j.label = g.label_value) + COUNTIF(j.prediction = g.label_value)),
        0) AS f1
    FROM group_labels AS g
    JOIN joined AS j USING (revision, model_version, model_sha256, day)
    GROUP BY g.revision, g.model_version, g.model_sha256, g.day, g.label_value
  ),
  scored AS (
    SELECT
      revision,
      model_version,
      model_sha256,
      day,
      COUNT(*) AS labelled,
      AVG(IF(prediction = label, 1.0, 0.0)) AS accuracy,
      AVG(-LN(LEAST(1.0, GREATEST(1e-15, IFNULL(p_true, 0.0))))) AS log_loss
    FROM joined
    GROUP BY revision, model_version, model_sha256, day
  ),
  counted AS (
    SELECT revision, model_version, model_sha256, day, COUNT(*) AS predictions
    FROM predictions
    GROUP BY revision, model_version, model_sha256, day
  )
SELECT
  c.revision,
  c.model_version,
  c.model_sha256,
  c.day,
  c.predictions,
  IFNULL(s.labelled, 0) AS labelled,
  s.accuracy,
  m.macro_f1,
  s.log_loss,
  cards.accuracy AS card_accuracy,
  cards.macro_f1 AS card_macro_f1,
  cards.log_loss AS card_log_loss
FROM counted AS c
LEFT JOIN scored AS s USING (revision, model_version, model_sha256, day)
LEFT JOIN (
  SELECT revision, model_version, model_sha256, day, AVG(f1) AS macro_f1
  FROM f1
  GROUP BY revision, model_version, model_sha256, day
) AS m USING (revision, model_version, model_sha256, day)
LEFT JOIN `CARDS_TABLE` AS cards USING (model_sha256)
