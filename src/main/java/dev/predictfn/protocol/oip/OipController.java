package dev.predictfn.protocol.oip;

import dev.predictfn.BuildInfo;
import dev.predictfn.bundle.ModelCard;
import dev.predictfn.http.ApiException;
import dev.predictfn.model.PredictionResult;
import dev.predictfn.model.Predictor;
import dev.predictfn.records.Protocol;
import dev.predictfn.scoring.Scorer;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.List;

/**
 * The Open Inference Protocol ("V2", as spoken by KServe, Triton and MLServer clients) over the
 * same predictor as {@code /predict}: server and model metadata, health, and {@code infer}.
 */
@Controller(OipController.PATH)
public final class OipController {
  /** Where the protocol's routes are. */
  static final String PATH = "/v2";

  private static final String PLATFORM = "tribuo";

  private final Scorer scorer;
  private final InferRequestDecoder decoder;
  private final InferResponseEncoder encoder;
  private final BuildInfo build;

  OipController(
      Scorer scorer, InferRequestDecoder decoder, InferResponseEncoder encoder, BuildInfo build) {
    this.scorer = scorer;
    this.decoder = decoder;
    this.encoder = encoder;
    this.build = build;
  }

  /** Server metadata. */
  @Get(produces = MediaType.APPLICATION_JSON)
  public OipMessages.ServerMetadata server() {
    return new OipMessages.ServerMetadata(
        build.name(), build.version(), List.of("binary_tensor_data"));
  }

  /** Server liveness: the server answers. */
  @Get(uri = "/health/live", produces = MediaType.APPLICATION_JSON)
  public OipMessages.Health live() {
    return new OipMessages.Health(true, null);
  }

  /** Server readiness: 200 while a verified model is loaded, else 503. */
  @Get(uri = "/health/ready", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<OipMessages.Health> ready() {
    boolean ready = scorer.isReady();
    return HttpResponse.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(new OipMessages.Health(null, ready));
  }

  /** Model readiness: 200 when {@code name} is loaded and verified, 503 while no model is. */
  @Get(uri = "/models/{name}/ready", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<OipMessages.ModelReady> modelReady(@PathVariable String name) {
    return modelReady(name, null);
  }

  /** Model readiness of one version. */
  @Get(uri = "/models/{name}/versions/{version}/ready", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<OipMessages.ModelReady> modelReady(
      @PathVariable String name, @PathVariable @Nullable String version) {
    if (!scorer.isReady()) {
      return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
          .body(new OipMessages.ModelReady(name, false));
    }
    select(name, version);
    return HttpResponse.ok(new OipMessages.ModelReady(name, true));
  }

  /** Model metadata. */
  @Get(uri = "/models/{name}", produces = MediaType.APPLICATION_JSON)
  public OipMessages.ModelMetadata model(@PathVariable String name) {
    return model(name, null);
  }

  /** Model metadata of one version. */
  @Get(uri = "/models/{name}/versions/{version}", produces = MediaType.APPLICATION_JSON)
  public OipMessages.ModelMetadata model(
      @PathVariable String name, @PathVariable @Nullable String version) {
    ModelCard card = select(name, version).card();
    return new OipMessages.ModelMetadata(
        card.modelName(),
        List.of(card.modelVersion()),
        PLATFORM,
        List.of(
            new OipMessages.TensorMetadata(
                "input", "FP32", List.of(-1L, (long) card.features().size()))),
        List.of(
            new OipMessages.TensorMetadata(InferRequest.LABEL, "BYTES", List.of(-1L)),
            new OipMessages.TensorMetadata(
                InferRequest.PROBABILITIES, "FP32", List.of(-1L, (long) card.labels().size()))));
  }

  /** Inference. */
  @InferOperation
  @Post(
      uri = "/models/{name}/infer",
      consumes = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM},
      produces = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
  public HttpResponse<?> infer(
      HttpRequest<?> http, @PathVariable String name, @Body @Nullable @InferBody byte[] body) {
    return infer(http, name, null, body);
  }

  /** Inference against one version. */
  @InferOperation
  @Post(
      uri = "/models/{name}/versions/{version}/infer",
      consumes = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM},
      produces = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
  public HttpResponse<?> infer(
      HttpRequest<?> http,
      @PathVariable String name,
      @PathVariable @Nullable String version,
      @Body @Nullable @InferBody byte[] body) {
    Predictor predictor = select(name, version);
    List<String> categorical = predictor.schema().categoricalNames();
    if (!categorical.isEmpty()) {
      // Tensors here are FP32/FP64; category names travel in POST /predict's JSON.
      throw ApiException.badRequest(
          "feature \""
              + categorical.get(0)
              + "\" is categorical and this endpoint takes numeric tensors only;"
              + " send the row to POST /predict instead");
    }
    InferRequest request = decoder.decode(http, body, predictor.features(), jsonLength(http));
    List<PredictionResult> results =
        scorer.score(
            predictor, request.rows(), false, Protocol.OIP, i -> "row " + i + " of the input");
    return encoder.encode(predictor.card(), request, results);
  }

  /** The binary tensor data extension's JSON length, or -1 when the whole body is JSON. */
  private static long jsonLength(HttpRequest<?> http) {
    String header = http.getHeaders().get(InferResponseEncoder.JSON_LENGTH_HEADER);
    if (header == null) {
      return -1;
    }
    try {
      long length = Long.parseLong(header.trim());
      if (length >= 0) {
        return length;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        InferResponseEncoder.JSON_LENGTH_HEADER
            + " must be the JSON's length in bytes, but it is \""
            + header
            + "\"");
  }

  /** The predictor for {@code name} (and {@code version}), or the protocol's 404 / 503. */
  private Predictor select(String name, @Nullable String version) {
    Predictor predictor = scorer.predictor();
    ModelCard card = predictor.card();
    if (!card.modelName().equals(name)) {
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          "unknown model \"" + name + "\"; this server serves \"" + card.modelName() + "\"");
    }
    if (version != null && !card.modelVersion().equals(version)) {
      throw new ApiException(
          HttpStatus.NOT_FOUND,
          "model \""
              + name
              + "\" has no version \""
              + version
              + "\"; it serves version \""
              + card.modelVersion()
              + "\"");
    }
    return predictor;
  }
}
