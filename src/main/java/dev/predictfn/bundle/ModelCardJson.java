package dev.predictfn.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.micronaut.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Reads and writes {@link ModelCard} JSON; the one place the card's encoding is decided. */
public final class ModelCardJson {
  private static final JsonFactory JSON = new JsonFactory();

  private final JsonMapper mapper;

  public ModelCardJson(JsonMapper mapper) {
    this.mapper = mapper;
  }

  /** Parses a card. */
  public ModelCard read(byte[] json) throws IOException {
    return mapper.readValue(json, ModelCard.class);
  }

  /** Encodes a card as indented JSON with a final newline, so a person can read the file. */
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
