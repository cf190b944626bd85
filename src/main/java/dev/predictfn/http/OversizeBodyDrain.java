package dev.predictfn.http;

import io.micronaut.http.HttpStatus;
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

/**
 * Answers a request whose declared body is over the limit with a 413 that every client can read.
 * Closing the connection at once, as the server otherwise does, breaks clients that write the whole
 * body before they read (Python's urllib, for one: {@code BrokenPipeError}); so the body is read
 * and discarded, never buffered, up to {@value #DRAIN_BOUND} bytes (Cloud Run's own request limit),
 * and the 413 goes out after it. A client that asked {@code Expect: 100-continue} gets the 413 at
 * once, as it has sent no body yet. The request never reaches the application. The limit is the
 * path's ({@link BodyLimits}), and the answer is in the path's {@link ErrorShape}.
 */
final class OversizeBodyDrain extends ChannelInboundHandlerAdapter {
  /** The most bytes read and discarded before the 413: Cloud Run's request size limit. */
  static final long DRAIN_BOUND = 32L * 1024 * 1024;

  private final BodyLimits limits;
  private final ErrorShapes shapes;
  private FullHttpResponse pending;
  private boolean answered;

  OversizeBodyDrain(BodyLimits limits, ErrorShapes shapes) {
    this.limits = limits;
    this.shapes = shapes;
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
      String path = path(request.uri());
      long limit = limits.limitFor(path);
      if (length > limit) {
        pending = tooLarge(path, length);
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

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  private FullHttpResponse tooLarge(String path, long length) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            Unpooled.wrappedBuffer(
                shapes.bytes(
                    path, HttpStatus.REQUEST_ENTITY_TOO_LARGE, limits.tooLarge(path, length))));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, shapes.forPath(path).contentType().toString())
        .set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }
}
