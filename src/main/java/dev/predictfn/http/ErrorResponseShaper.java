package dev.predictfn.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.web.router.Router;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders the framework's own errors (unknown path, wrong method or content type, body too large,
 * unexpected exceptions) in the path's {@link ErrorShape}, replacing Micronaut's default JSON error
 * body.
 *
 * <p>404, 405 and 415 get details written here from the request, so the Netty server and the
 * function runtime word them identically; other 4xx keep the framework's message. A 5xx never shows
 * an exception message or class: the cause is in the log.
 */
@Singleton
final class ErrorResponseShaper implements ErrorResponseProcessor<Object> {
  private final ErrorShapes shapes;
  private final BeanProvider<Router> router;
  private volatile String roots;

  ErrorResponseShaper(ErrorShapes shapes, BeanProvider<Router> router) {
    this.shapes = shapes;
    this.router = router;
  }

  @Override
  public MutableHttpResponse<Object> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    HttpRequest<?> request = context.getRequest();
    HttpStatus status = response.status();
    String detail;
    if (status.getCode() >= 500) {
      // The cause is logged already, with its stack trace (an unexpected exception by
      // logging.UnexpectedErrorHandler, under the request's trace; "Unexpected
      // error occurred: ..."); logging it again here would file every failure twice in Cloud
      // Error Reporting. The request log adds method, path and status on the same trace.
      detail = "The server failed to handle this request; it has been logged.";
    } else if (status == HttpStatus.NOT_FOUND) {
      detail =
          "No endpoint at " + request.getPath() + ". This service answers under " + roots() + ".";
    } else if (status == HttpStatus.METHOD_NOT_ALLOWED) {
      detail =
          "Method "
              + request.getMethodName()
              + " is not allowed on "
              + request.getPath()
              + "; use "
              + response.getHeaders().get(HttpHeaders.ALLOW)
              + ".";
    } else if (status == HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
      detail =
          "Content-Type "
              + request.getContentType().map(MediaType::toString).orElse("(none)")
              + " is not accepted on "
              + request.getPath()
              + "; "
              + shapes.forPath(request.getPath()).acceptedContent();
    } else {
      List<Error> errors = context.getErrors();
      detail = errors.isEmpty() ? status.getReason() : errors.get(0).getMessage();
    }
    return shapes.respond(request.getPath(), status, detail, List.of(), response);
  }

  /** The first segments of every route, from the router: "/bigquery, /feedback, ... and /v2". */
  private String roots() {
    String known = roots;
    if (known == null) {
      List<String> all =
          router
              .get()
              .uriRoutes()
              .map(route -> firstSegment(route.getUriMatchTemplate().toPathString()))
              .filter(root -> root.length() > 1)
              .distinct()
              .sorted()
              .collect(Collectors.toList());
      known =
          all.size() < 2
              ? String.join("", all)
              : String.join(", ", all.subList(0, all.size() - 1))
                  + " and "
                  + all.get(all.size() - 1);
      roots = known;
    }
    return known;
  }

  private static String firstSegment(String path) {
    int next = path.indexOf('/', 1);
    String root = next < 0 ? path : path.substring(0, next);
    int variable = root.indexOf('{');
    return variable < 0 ? root : root.substring(0, variable);
  }
}
