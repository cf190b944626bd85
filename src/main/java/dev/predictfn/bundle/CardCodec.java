package dev.predictfn.bundle;

import java.io.IOException;

/**
 * How a {@link ModelCard} is encoded in {@value ModelBundle#CARD_FILE}: JSON, as readers and
 * writers of bundles agree. The format itself does not depend on a JSON library; serving and
 * training both pass the one implementation ({@code dev.predictfn.bundle.ModelCardJson}).
 */
public interface CardCodec {
  /** Parses a card. */
  ModelCard read(byte[] json) throws IOException;

  /** Encodes a card as indented JSON with a final newline, so a person can read the file. */
  byte[] write(ModelCard card) throws IOException;
}
