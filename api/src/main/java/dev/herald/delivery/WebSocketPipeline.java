package dev.herald.delivery;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

/**
 * Puts {@link WebSocketUpgrade} after the HTTP codec of every HTTP/1.1 connection the server accepts: the
 * Micronaut way into its Netty pipeline ({@link NettyServerCustomizer}).
 */
@Singleton
final class WebSocketPipeline implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    // Looked up on the first connection: the handshake's dependencies need not exist when the server is built.
    private final BeanProvider<WebSocketHandshake> handshake;

    WebSocketPipeline(BeanProvider<WebSocketHandshake> handshake) {
        this.handshake = handshake;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new ForServer());
        return event.getBean();
    }

    private final class ForServer implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new ForConnection(channel) : this;
        }
    }

    private final class ForConnection implements NettyServerCustomizer {

        private final Channel channel;

        ForConnection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                    && pipeline.get(WebSocketUpgrade.NAME) == null) {
                pipeline.addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, WebSocketUpgrade.NAME,
                        new WebSocketUpgrade(handshake.get()));
            }
        }
    }
}
