package dev.predictfn.records;

/** The protocols rows arrive by, as a prediction record names them. */
public enum Protocol {
  /** {@code POST /predict}. */
  PREDICT("predict"),
  /** The Open Inference Protocol v2 ({@code /v2/models/.../infer}). */
  OIP("oip"),
  /** Vertex AI's custom-container predict route. */
  VERTEX("vertex"),
  /** BigQuery's remote-function route ({@code POST /bigquery}). */
  BIGQUERY("bigquery");

  private final String recordName;

  Protocol(String recordName) {
    this.recordName = recordName;
  }

  /** The name in a record's {@code protocol} field. */
  public String recordName() {
    return recordName;
  }
}
