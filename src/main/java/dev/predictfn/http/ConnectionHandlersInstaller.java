package dev.predictfn.http;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

/**
 * Puts this service's handlers on every HTTP/1.1 connection of the Netty server: a {@link
 * RequestReadDeadline} with the timeout {@code predict.api.request-read-timeout} ({@code
 * REQUEST_READ_TIMEOUT}), since Micronaut's own {@code read-idle-timeout} does not close
 * connections whose request stalls half way, and an {@link OversizeBodyDrain} for bodies over
 * {@code predict.api.max-body-bytes} (or the route's own, {@link BodyLimits}), so that clients
 * which write before they read get their 413.
 */
@Singleton
final class ConnectionHandlersInstaller
    implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
  private static final String FIRST_BYTES = "predictfn-request-deadline-start";
  private static final String REQUEST_END = "predictfn-request-deadline-end";
  private static final String OVERSIZE = "predictfn-oversize-body-drain";

  private final ApiConfiguration api;
  private final BodyLimits bodyLimits;
  private final ErrorShapes shapes;

  ConnectionHandlersInstaller(ApiConfiguration api, BodyLimits bodyLimits, ErrorShapes shapes) {
    this.shapes = shapes;
    this.api = api;
    this.bodyLimits = bodyLimits;
  }

  @Override
  public NettyServerCustomizer.Registry onCreated(
      BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
    event.getBean().register(new PerConnection(null));
    return event.getBean();
  }

  private final class PerConnection implements NettyServerCustomizer {
    private final Channel channel;

    PerConnection(Channel channel) {
      this.channel = channel;
    }

    @Override
    public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
      return role == ChannelRole.CONNECTION ? new PerConnection(channel) : this;
    }

    @Override
    public void onStreamPipelineBuilt() {
      if (channel == null) {
        return;
      }
      ChannelPipeline pipeline = channel.pipeline();
      if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null
          || pipeline.get(FIRST_BYTES) != null) {
        return; // not an HTTP/1.1 connection, or already installed
      }
      RequestReadDeadline deadline = new RequestReadDeadline(api.requestReadTimeout());
      pipeline.addFirst(FIRST_BYTES, deadline.firstBytes());
      pipeline.addAfter(
          ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, REQUEST_END, deadline.requestEnd());
      pipeline.addAfter(REQUEST_END, OVERSIZE, new OversizeBodyDrain(bodyLimits, shapes));
    }
  }
}
