package dev.predictfn;

import dev.predictfn.batch.ScoreCommand;
import dev.predictfn.evaluate.EvaluateCommand;
import io.micronaut.context.ApplicationContext;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.openapi.annotation.OpenAPIInclude;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts the prediction service on the Netty server, or, when the first argument is {@code score},
 * runs one task of a batch scoring job ({@link ScoreCommand}), or, when it is {@code evaluate},
 * computes online accuracy from prediction and feedback records ({@link EvaluateCommand}).
 *
 * <p>Cloud Run stops an instance with SIGTERM and kills it 10 s later. On SIGTERM the context is
 * stopped, which (with {@code micronaut.lifecycle.graceful-shutdown}) stops accepting connections
 * and lets in-flight requests finish within the grace period; then the process exits 0. The JVM's
 * default would exit 143.
 */
@OpenAPIDefinition(
    info =
        @Info(
            title = "prediction-function",
            version = "${api.version}",
            description =
                "Tribuo classifier served over /predict, the Open Inference Protocol v2 (/v2) and"
                    + " Vertex AI's custom-container routes (registered at start-up from"
                    + " AIP_PREDICT_ROUTE and AIP_HEALTH_ROUTE, so not listed here)."))
@OpenAPIInclude(classes = HealthEndpoint.class)
public final class Application {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private Application() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals(ScoreCommand.NAME)) {
      // A Cloud Run job's task: score files and exit, no server (docs/batch.md).
      System.exit(
          ScoreCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out));
    }
    if (args.length > 0 && args[0].equals(EvaluateCommand.NAME)) {
      System.exit(
          EvaluateCommand.run(
              Arrays.copyOfRange(args, 1, args.length),
              System.getenv(),
              System.in,
              System.out,
              System.err));
    }
    // No banner: stdout carries one JSON log object per line and nothing else.
    ApplicationContext context =
        Micronaut.build(args)
            .mainClass(Application.class)
            .banner(false)
            .properties(portOverride(System.getenv()))
            .start();
    Signal.handle(new Signal("TERM"), signal -> stopThenExit(context));
  }

  /**
   * Vertex AI tells a custom container its port in {@code AIP_HTTP_PORT}; when set it wins over
   * {@code PORT}. (A nested {@code ${AIP_HTTP_PORT:${PORT:8080}}} placeholder is not resolved by
   * Micronaut, so the choice is made here.)
   */
  static Map<String, Object> portOverride(Map<String, String> env) {
    String vertexPort = env.get("AIP_HTTP_PORT");
    return vertexPort == null || vertexPort.isBlank()
        ? Map.of()
        : Map.of("micronaut.server.port", vertexPort.trim());
  }

  private static void stopThenExit(ApplicationContext context) {
    // The signal handler thread must return promptly, so the shutdown runs on its own thread.
    Thread stopper =
        new Thread(
            () -> {
              LOG.info("SIGTERM received: draining in-flight requests, then exiting");
              int status = 0;
              try {
                context.stop();
              } catch (RuntimeException e) {
                LOG.error("Shutdown failed", e);
                status = 1;
              }
              System.exit(status);
            },
            "sigterm-shutdown");
    stopper.start();
  }
}
