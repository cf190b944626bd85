package dev.predictfn.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Answers a request whose declared body is over the limit with a 413 that every client can read.
 * Closing the connection at once, as the server otherwise does, breaks clients that write the whole
 * body before they read (Python's urllib, for one: {@code BrokenPipeError}); so the body is read
 * and discarded, never buffered, up to {@value #DRAIN_BOUND} bytes (Cloud Run's own request limit),
 * and the 413 goes out after it. A client that asked {@code Expect: 100-continue} gets the 413 at
 * once, as it has sent no body yet. The request never reaches the application. Under {@code /v2}
 * the answer is the Open Inference Protocol's {@code {"error"}}, elsewhere an RFC 9457 problem.
 */
final class OversizeBodyDrain extends ChannelInboundHandlerAdapter {
  /** The most bytes read and discarded before the 413: Cloud Run's request size limit. */
  static final long DRAIN_BOUND = 32L * 1024 * 1024;

  private final long limit;
  private FullHttpResponse pending;
  private boolean answered;

  OversizeBodyDrain(long limit) {
    this.limit = limit;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (answered) {
      ReferenceCountUtil.release(msg); // the connection is closing: nothing more is served
      return;
    }
    if (pending != null) {
      // Draining: the rest of the over-limit body is read and dropped.
      boolean last = msg instanceof LastHttpContent;
      ReferenceCountUtil.release(msg);
      if (last) {
        answer(ctx);
      }
      return;
    }
    if (msg instanceof HttpRequest request) {
      long length = HttpUtil.getContentLength(request, -1L);
      if (length > limit) {
        pending = tooLarge(request.uri(), length);
        if (msg instanceof HttpContent content) {
          // A request object that carries its body too (a full request).
          ReferenceCountUtil.release(content);
          answer(ctx);
        } else if (HttpUtil.is100ContinueExpected(request) || length > DRAIN_BOUND) {
          answer(ctx);
        }
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void answer(ChannelHandlerContext ctx) {
    FullHttpResponse response = pending;
    pending = null;
    answered = true;
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private FullHttpResponse tooLarge(String uri, long length) {
    String detail =
        "The request body is "
            + length
            + " bytes; the limit is "
            + limit
            + " bytes. Split the batch into smaller requests.";
    String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
    boolean oip = path.equals("/v2") || path.startsWith("/v2/");
    String body =
        oip
            ? "{\"error\":" + json(detail) + "}"
            : "{\"type\":\"about:blank\",\"title\":\"Request Entity Too Large\",\"status\":413,"
                + "\"detail\":"
                + json(detail)
                + ",\"instance\":"
                + json(path)
                + "}";
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, oip ? "application/json" : ProblemResponses.PROBLEM_JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }

  /** A JSON string literal of {@code text} (which holds no control characters here). */
  private static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
