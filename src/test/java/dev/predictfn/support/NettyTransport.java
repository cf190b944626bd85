package dev.predictfn.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Real HTTP over loopback to a running server, with the JDK's client (no framework in between). */
public final class NettyTransport implements Transport {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final URI base;

  public NettyTransport(URI base) {
    this.base = base;
  }

  @Override
  public HttpAnswer send(HttpCall call) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(call.path())).timeout(Duration.ofSeconds(20));
    request.method(
        call.method(),
        call.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(call.body()));
    if (call.contentType() != null) {
      request.header("Content-Type", call.contentType());
    }
    call.headers().forEach(request::header);
    HttpResponse<String> response =
        CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    Map<String, List<String>> headers = new TreeMap<>();
    response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    return new HttpAnswer(response.statusCode(), headers, response.body());
  }
}
