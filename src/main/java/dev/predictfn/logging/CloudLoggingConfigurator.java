package dev.predictfn.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration, in code: one JSON line per event on stdout ({@link CloudLoggingLayout}),
 * levels from {@code LOG_LEVEL} and {@code LOG_LEVEL_REQUESTS}, the trace's project from {@code
 * GOOGLE_CLOUD_PROJECT} and the Cloud Run labels from {@code K_SERVICE}, {@code K_REVISION} and
 * {@code K_CONFIGURATION}, all read when the process starts. Logback finds it through {@code
 * META-INF/services} before it would look for a {@code logback.xml}, so no XML parser is loaded or
 * run at start-up.
 */
public final class CloudLoggingConfigurator extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    CloudLoggingLayout layout = new CloudLoggingLayout();
    layout.setContext(context);
    layout.setProjectId(env("GOOGLE_CLOUD_PROJECT"));
    layout.setService(env("K_SERVICE"));
    layout.setRevision(env("K_REVISION"));
    layout.setConfiguration(env("K_CONFIGURATION"));
    layout.start();

    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();

    ConsoleAppender<ILoggingEvent> stdout = new ConsoleAppender<>();
    stdout.setContext(context);
    stdout.setName("STDOUT");
    stdout.setEncoder(encoder);
    stdout.start();

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(env("LOG_LEVEL"), Level.INFO));
    root.addAppender(stdout);
    context
        .getLogger(RequestLogFilter.LOGGER)
        .setLevel(Level.toLevel(env("LOG_LEVEL_REQUESTS"), Level.INFO));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static String env(String name) {
    String value = System.getenv(name);
    return value == null ? "" : value.trim();
  }
}
