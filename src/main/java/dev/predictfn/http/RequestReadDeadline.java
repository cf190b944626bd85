package dev.predictfn.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deadline for receiving one whole HTTP/1.1 request on a connection: it starts with the request's
 * first byte and ends with its last, so a client that sends its headers or body slowly, or stops
 * half way, gets {@code 408} and loses the connection, while a keep-alive connection may stay idle
 * between requests for as long as the idle timeout allows. Two handlers share it: {@link
 * #firstBytes()} sits before the HTTP decoder and sees raw bytes, {@link #requestEnd()} sits after
 * it and sees the decoded end of each request.
 */
final class RequestReadDeadline {
  private static final Logger LOG = LoggerFactory.getLogger(RequestReadDeadline.class);

  private final long timeoutNanos;
  private final String timeoutText;
  private ScheduledFuture<?> pending;

  RequestReadDeadline(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
    this.timeoutText =
        timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }

  /** Starts the deadline when bytes arrive on a connection that is between requests. */
  ChannelDuplexHandler firstBytes() {
    return new ChannelDuplexHandler() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (pending == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
          pending = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        super.channelRead(ctx, msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
      }
    };
  }

  /** Stops the deadline once the decoder has seen the end of the request. */
  ChannelInboundHandlerAdapter requestEnd() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof LastHttpContent) {
          cancel();
        }
        super.channelRead(ctx, msg);
      }
    };
  }

  private void cancel() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    pending = null;
    LOG.debug("Closing {}: no whole request within {}", ctx.channel().remoteAddress(), timeoutText);
    byte[] body =
        ("{\"type\":\"about:blank\",\"title\":\"Request Timeout\",\"status\":408,\"detail\":"
                + "\"The request was not received in full within "
                + timeoutText
                + "; send the whole request at once.\"}")
            .getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\n"
                + "Connection: close\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    // Written below the HTTP encoder, as raw bytes: the decoder holds a partial request.
    ctx.writeAndFlush(Unpooled.wrappedBuffer(head, body)).addListener(ChannelFutureListener.CLOSE);
  }
}
