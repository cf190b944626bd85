package dev.predictfn.support;

/** Sends an {@link HttpCall} to the application one way or another. */
public interface Transport {
  HttpAnswer send(HttpCall call) throws Exception;
}
