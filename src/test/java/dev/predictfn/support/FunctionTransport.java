package dev.predictfn.support;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.micronaut.gcp.function.http.HttpFunction;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Calls the Cloud Functions entry point ({@link HttpFunction#service}) exactly as the Functions
 * Framework does, with in-memory request and response objects: no network, same code path.
 */
public final class FunctionTransport implements Transport {
  private final HttpFunction function;

  public FunctionTransport(HttpFunction function) {
    this.function = function;
  }

  @Override
  public HttpAnswer send(HttpCall call) throws Exception {
    Request request = new Request(call);
    Response response = new Response();
    function.service(request, response);
    response.flush();
    Map<String, List<String>> headers = new TreeMap<>();
    response.headers.forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
    response.contentType.ifPresent(type -> headers.putIfAbsent("content-type", List.of(type)));
    return new HttpAnswer(response.status, headers, response.body.toString(StandardCharsets.UTF_8));
  }

  private static final class Request implements HttpRequest {
    private final HttpCall call;
    private final URI uri;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();

    Request(HttpCall call) {
      this.call = call;
      this.uri = URI.create("http://localhost" + call.path());
      if (call.contentType() != null) {
        headers.put("Content-Type", List.of(call.contentType()));
      }
      if (call.body() != null) {
        headers.put("Content-Length", List.of(Integer.toString(call.body().length)));
      }
      call.headers().forEach((k, v) -> headers.put(k, List.of(v)));
    }

    @Override
    public String getMethod() {
      return call.method();
    }

    @Override
    public String getUri() {
      return uri.toString();
    }

    @Override
    public String getPath() {
      return uri.getPath();
    }

    @Override
    public Optional<String> getQuery() {
      return Optional.ofNullable(uri.getQuery());
    }

    @Override
    public Map<String, List<String>> getQueryParameters() {
      Map<String, List<String>> params = new LinkedHashMap<>();
      if (uri.getQuery() != null) {
        for (String pair : uri.getQuery().split("&")) {
          String[] kv = pair.split("=", 2);
          params.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv.length > 1 ? kv[1] : "");
        }
      }
      return params;
    }

    @Override
    public Map<String, HttpPart> getParts() {
      return Map.of();
    }

    @Override
    public Optional<String> getContentType() {
      return Optional.ofNullable(call.contentType());
    }

    @Override
    public long getContentLength() {
      return call.body() == null ? 0 : call.body().length;
    }

    @Override
    public Optional<String> getCharacterEncoding() {
      return Optional.of("UTF-8");
    }

    @Override
    public InputStream getInputStream() {
      return new ByteArrayInputStream(call.body() == null ? new byte[0] : call.body());
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }
  }

  private static final class Response implements HttpResponse {
    private int status = 200;
    private Optional<String> contentType = Optional.empty();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private BufferedWriter writer;

    @Override
    public void setStatusCode(int code) {
      status = code;
    }

    @Override
    public void setStatusCode(int code, String message) {
      status = code;
    }

    @Override
    public void setContentType(String type) {
      contentType = Optional.ofNullable(type);
    }

    @Override
    public Optional<String> getContentType() {
      return contentType;
    }

    @Override
    public void appendHeader(String name, String value) {
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    @Override
    public Map<String, List<String>> getHeaders() {
      return headers;
    }

    @Override
    public OutputStream getOutputStream() {
      return body;
    }

    @Override
    public BufferedWriter getWriter() {
      if (writer == null) {
        writer = new BufferedWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
      }
      return writer;
    }

    void flush() throws java.io.IOException {
      if (writer != null) {
        writer.flush();
      }
    }
  }
}
