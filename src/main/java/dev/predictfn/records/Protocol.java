package dev.predictfn.records;

/**
 * The protocols rows arrive by, as a prediction record names them, and whether their answers carry
 * prediction ids.
 */
public enum Protocol {
  /** {@code POST /predict}. */
  PREDICT("predict", true),
  /** The Open Inference Protocol v2 ({@code /v2/models/.../infer}). */
  OIP("oip", true),
  /** Vertex AI's custom-container predict route. */
  VERTEX("vertex", true),
  /**
   * BigQuery's remote-function route ({@code POST /bigquery}), whose replies have no room for ids.
   */
  BIGQUERY("bigquery", false);

  private final String recordName;
  private final boolean answersIds;

  Protocol(String recordName, boolean answersIds) {
    this.recordName = recordName;
    this.answersIds = answersIds;
  }

  /**
   * Whether the protocol hands each row's prediction id to the caller. Where it does not, only a
   * recorded row's id can ever be named (by its record), so only recorded rows get one.
   */
  public boolean answersIds() {
    return answersIds;
  }

  /** The name in a record's {@code protocol} field. */
  public String recordName() {
    return recordName;
  }
}
