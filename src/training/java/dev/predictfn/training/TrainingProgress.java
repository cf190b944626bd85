package dev.predictfn.training;

import java.io.PrintStream;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints one progress line per epoch (at most one a second, always the last): epoch, mean loss and
 * rows per second, from the loss Tribuo's SGD trainer logs every {@code loggingInterval} steps.
 *
 * <p>While installed it replaces the trainer logger's console output, so a build log shows these
 * lines instead of Tribuo's.
 */
final class TrainingProgress extends Handler implements AutoCloseable {
  private static final Pattern ITERATION =
      Pattern.compile("At iteration (\\d+), average loss = (\\S+)");
  private static final String TRAINER_LOGGER = "org.tribuo.common.sgd.AbstractSGDTrainer";

  private final PrintStream out;
  private final int epochs;
  private final int stepsPerEpoch;
  private final int rowsPerEpoch;
  private final int minibatch;
  private final Logger logger = Logger.getLogger(TRAINER_LOGGER);
  private final boolean parentHandlers;
  private final long start = System.nanoTime();
  private long lastPrint;
  private int lastEpoch;

  /**
   * @param minibatch rows per step: Tribuo's logged loss is a step's sum over its minibatch
   */
  TrainingProgress(
      PrintStream out, int epochs, int stepsPerEpoch, int rowsPerEpoch, int minibatch) {
    this.out = out;
    this.minibatch = minibatch;
    this.epochs = epochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.rowsPerEpoch = rowsPerEpoch;
    this.parentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false);
    logger.addHandler(this);
  }

  @Override
  public void publish(LogRecord record) {
    if (record.getLevel().intValue() > Level.INFO.intValue()) {
      out.println("tribuo: " + record.getMessage());
      return;
    }
    Matcher m = ITERATION.matcher(record.getMessage());
    if (!m.find()) {
      return;
    }
    int epoch = (int) Math.min(epochs, Math.max(1, Long.parseLong(m.group(1)) / stepsPerEpoch));
    if (epoch == lastEpoch) {
      return;
    }
    lastEpoch = epoch;
    long now = System.nanoTime();
    if (epoch != 1 && epoch != epochs && now - lastPrint < 1_000_000_000L) {
      return;
    }
    lastPrint = now;
    double seconds = Math.max((now - start) / 1e9, 1e-9);
    out.printf(
        Locale.ROOT,
        "  epoch %d/%d  log loss %.4f  %,.0f rows/s%n",
        epoch,
        epochs,
        // LogMulticlass reports the log-likelihood, the negated loss.
        Math.abs(Double.parseDouble(m.group(2))) / minibatch,
        (double) epoch * rowsPerEpoch / seconds);
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setUseParentHandlers(parentHandlers);
  }
}
