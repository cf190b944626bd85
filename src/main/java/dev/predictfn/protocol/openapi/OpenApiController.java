package dev.predictfn.protocol.openapi;

import dev.predictfn.bundle.ModelCard;
import dev.predictfn.scoring.Scorer;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code GET /swagger/prediction-function.yml}: the OpenAPI document micronaut-openapi generated at
 * build time, with its request examples made from the serving model's card ({@link ExampleRows}),
 * so the examples Swagger UI offers are valid for whatever model this instance serves. The document
 * is rewritten once, on the first request after the model is loaded.
 */
@Controller
public final class OpenApiController {
  /** Where the build writes the document, and the path it is served at. */
  static final String DOCUMENT = "META-INF/swagger/prediction-function.yml";

  private static final String YAML = "application/yaml";

  private final Scorer scorer;
  private volatile String rewritten;

  public OpenApiController(Scorer scorer) {
    this.scorer = scorer;
  }

  /** The document; until a model is loaded, as generated. */
  @Get(uri = "/swagger/prediction-function.yml", produces = YAML)
  @Operation(summary = "This OpenAPI document, its examples made for the serving model")
  public HttpResponse<String> document() {
    String document = rewritten;
    if (document == null) {
      Optional<ModelCard> card = scorer.card();
      if (card.isEmpty()) {
        return HttpResponse.ok(generated()).contentType(MediaType.of(YAML));
      }
      document = withExamples(generated(), card.get());
      rewritten = document;
    }
    return HttpResponse.ok(document).contentType(MediaType.of(YAML));
  }

  /**
   * {@code document} with every request and response example replaced by one for {@code card}'s
   * model, and the Open Inference Protocol's model name and version filled in, so Swagger UI's "Try
   * it out" works as shown.
   */
  @SuppressWarnings("unchecked")
  static String withExamples(String document, ModelCard card) {
    Map<String, Object> root = new Yaml().load(document);
    Map<String, Object> paths = (Map<String, Object>) root.get("paths");
    for (Map.Entry<String, Object> path : paths.entrySet()) {
      for (Object operation : ((Map<String, Object>) path.getValue()).values()) {
        if (operation instanceof Map<?, ?> op) {
          ExampleBodies.fillPathParameters((Map<String, Object>) op, card);
        }
      }
      Map<String, Object> post =
          (Map<String, Object>) ((Map<String, Object>) path.getValue()).get("post");
      if (post != null) {
        ExampleBodies.rewrite(path.getKey(), post, card);
      }
    }
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(options).dump(root);
  }

  private static String generated() {
    try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException(DOCUMENT + " is not on the classpath; the build makes it");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
