package dev.predictfn.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.SerdeImport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Reads and writes {@link ModelCard} JSON with Micronaut Serde; the one place the card's encoding
 * is decided. The bundle's types carry only Jackson's annotations (names such as {@code
 * model_name}); their serde introspections are generated here, so the format stays free of
 * Micronaut and {@code GET /model} answers the card as the file holds it.
 */
@SerdeImport(ModelCard.class)
@SerdeImport(ModelCard.TrainingData.class)
@SerdeImport(ModelCard.Trainer.class)
@SerdeImport(ModelCard.Evaluation.class)
@SerdeImport(ModelCard.ClassMetrics.class)
@SerdeImport(ModelCard.ConfusionMatrix.class)
@SerdeImport(ModelCard.QualityGate.class)
@SerdeImport(ModelCard.Lineage.class)
@SerdeImport(FeatureSchema.class)
@SerdeImport(FeatureSchema.NumericStats.class)
@SerdeImport(FeatureSchema.CategoricalStats.class)
public final class ModelCardJson implements CardCodec {
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonMapper mapper;

  public ModelCardJson(JsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public ModelCard read(byte[] json) throws IOException {
    return mapper.readValue(json, ModelCard.class);
  }

  @Override
  public byte[] write(ModelCard card) throws IOException {
    byte[] compact = mapper.writeValueAsBytes(card);
    ByteArrayOutputStream out = new ByteArrayOutputStream(compact.length * 2);
    try (JsonParser parser = JSON.createParser(compact);
        JsonGenerator generator = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
      parser.nextToken();
      generator.copyCurrentStructure(parser);
    }
    out.write('\n');
    return out.toByteArray();
  }
}
