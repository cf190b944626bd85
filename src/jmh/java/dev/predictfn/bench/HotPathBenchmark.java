package dev.predictfn.bench;

import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.model.ServingModel;
import dev.predictfn.monitoring.DriftMonitor;
import dev.predictfn.protocol.predict.PredictRequest;
import dev.predictfn.protocol.predict.PredictRequestDecoder;
import dev.predictfn.protocol.predict.PredictionResponses;
import dev.predictfn.records.PredictionIds;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The work behind one {@code POST /predict}, without HTTP: the application's own beans (decoder,
 * serving model, JSON mapper) from a started application context, so a regression in decoding,
 * validation, scoring or encoding shows here without network noise. {@code hotPath*} is the whole
 * request body to response body; the others are its parts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmark {
  private static final byte[] ONE_ROW =
      "{\"features\":[5.1,3.5,1.4,0.2]}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BATCH_100 = batch(100);

  private ApplicationContext context;
  private PredictRequestDecoder decoder;
  private Predictor predictor;
  private DriftMonitor drift;
  private JsonMapper mapper;
  private double[] row;
  private PredictionResponses.Single single;
  private HttpRequest<?> oneRowRequest;
  private HttpRequest<?> batchRequest;

  @Setup(Level.Trial)
  public void start() {
    context = ApplicationContext.builder().environments("bench").start();
    decoder = context.getBean(PredictRequestDecoder.class);
    predictor = context.getBean(ServingModel.class).predictor();
    drift = context.getBean(DriftMonitor.class);
    mapper = context.getBean(JsonMapper.class);
    row = new double[] {5.1, 3.5, 1.4, 0.2};
    oneRowRequest = HttpRequest.POST("/predict", ONE_ROW).contentLength(ONE_ROW.length);
    batchRequest = HttpRequest.POST("/predict", BATCH_100).contentLength(BATCH_100.length);
    PredictionResult result = predictor.predict(row).identified(PredictionIds.next());
    single = PredictionResponses.Single.of(result, predictor.version());
  }

  @TearDown(Level.Trial)
  public void stop() {
    context.close();
  }

  /** Scoring alone: one row through the Tribuo model into probabilities. */
  @Benchmark
  public PredictionResult predictOnly() {
    return predictor.predict(row);
  }

  /** Parsing and validating a one-row body. */
  @Benchmark
  public PredictRequest decodeOnly() {
    return decoder.decode(oneRowRequest, ONE_ROW, predictor.schema());
  }

  /** Writing a one-row response body. */
  @Benchmark
  public byte[] encodeOnly() throws IOException {
    return mapper.writeValueAsBytes(single);
  }

  /** One-row request body to response body: decode, validate, predict, encode. */
  @Benchmark
  public byte[] hotPathOneRow() throws IOException {
    PredictRequest request = decoder.decode(oneRowRequest, ONE_ROW, predictor.schema());
    PredictionResult result = predictor.predictAll(request.rows()).get(0);
    return mapper.writeValueAsBytes(
        PredictionResponses.Single.of(
            result.identified(PredictionIds.next()), predictor.version()));
  }

  /** A 100-row batch body to response body; divide by 100 for the cost of a row. */
  @Benchmark
  public byte[] hotPathBatch100() throws IOException {
    PredictRequest request = decoder.decode(batchRequest, BATCH_100, predictor.schema());
    List<PredictionResult> results = predictor.predictAll(request.rows());
    return mapper.writeValueAsBytes(
        new PredictionResponses.Batch(
            PredictionResponses.Row.of(identified(results)), predictor.version()));
  }

  /**
   * {@link #hotPathBatch100} plus what the service adds per request for drift monitoring: the rows
   * into {@link DriftMonitor}. The ratio of the two is drift's share of the hot path.
   */
  @Benchmark
  public byte[] hotPathBatch100WithDrift() throws IOException {
    PredictRequest request = decoder.decode(batchRequest, BATCH_100, predictor.schema());
    List<PredictionResult> results = predictor.predictAll(request.rows());
    drift.observe(request.rows());
    return mapper.writeValueAsBytes(
        new PredictionResponses.Batch(
            PredictionResponses.Row.of(identified(results)), predictor.version()));
  }

  /** {@link #hotPathOneRow} plus the row into {@link DriftMonitor}. */
  @Benchmark
  public byte[] hotPathOneRowWithDrift() throws IOException {
    PredictRequest request = decoder.decode(oneRowRequest, ONE_ROW, predictor.schema());
    PredictionResult result = predictor.predictAll(request.rows()).get(0);
    drift.observe(request.rows());
    return mapper.writeValueAsBytes(
        PredictionResponses.Single.of(
            result.identified(PredictionIds.next()), predictor.version()));
  }

  /** Each result with its prediction id, as the scoring seam answers them. */
  private static List<PredictionResult> identified(List<PredictionResult> results) {
    List<PredictionResult> identified = new java.util.ArrayList<>(results.size());
    for (PredictionResult result : results) {
      identified.add(result.identified(PredictionIds.next()));
    }
    return identified;
  }

  private static byte[] batch(int rows) {
    StringBuilder json = new StringBuilder("{\"instances\":[");
    for (int i = 0; i < rows; i++) {
      // Rows of all three classes, as a real batch would mix them.
      json.append(i == 0 ? "" : ",")
          .append(
              switch (i % 3) {
                case 0 -> "[5.1,3.5,1.4,0.2]";
                case 1 -> "[5.9,3.0,4.2,1.5]";
                default -> "[6.7,3.0,5.2,2.3]";
              });
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
