package dev.predictfn.bundle;

import java.util.List;
import java.util.Objects;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * A verified model and its card: the one artifact shared by training and serving.
 *
 * <p>On disk a bundle is a directory (or a classpath folder) holding two files: {@value
 * #CARD_FILE}, the {@link ModelCard} as JSON, and {@value #MODEL_FILE}, the model in Tribuo's
 * protobuf format. Protobuf, not Java serialization, so loading a bundle never runs code chosen by
 * the file. {@link ModelBundleWriter} writes this layout and {@link ModelBundleReader} reads and
 * verifies it.
 *
 * @param card what the bundle says about the model
 * @param model the Tribuo model, already checked against the card
 */
public record ModelBundle(ModelCard card, Model<Label> model) {

  /** Name of the card file inside a bundle. */
  public static final String CARD_FILE = "model-card.json";

  /** Name of the model file inside a bundle. */
  public static final String MODEL_FILE = "model.tribuo";

  /** The card layout this code writes and reads. */
  public static final int FORMAT_VERSION = 2;

  /** The only task the service serves. */
  public static final String TASK = "classification";

  public ModelBundle {
    Objects.requireNonNull(card, "card");
    Objects.requireNonNull(model, "model");
  }

  /** Feature names in the order positional requests use. */
  public List<String> features() {
    return card.features();
  }

  /** The card's feature schema, compiled for serving. */
  public InputSchema schema() {
    return InputSchema.of(card);
  }

  /** The model version from the card. */
  public String version() {
    return card.modelVersion();
  }
}
