package dev.herald.loadtest.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NativeMessageTest {

    private static final String NOTIFICATION = """
            {"type":"notification","payload":{"id":"0193a1b2-0000-7000-8000-000000000001","seq":42,\
            "type":"bench","title":"t","message":"m","data":{"nested":{"t":1,"deep":[{"t":2}]},"t":987654321,\
            "after":"x"},"priority":3,"tags":["a","b"],"createdAt":"2026-12-02T12:00:00Z","readAt":null}}""";

    @Test
    void aNotificationGivesItsSeqIdAndTheStampOfDataNotOfNestedObjects() throws IOException {
        NativeMessage message = NativeMessage.parse(NOTIFICATION);

        assertThat(message).isEqualTo(new NativeMessage("notification", 42, -1,
                "0193a1b2-0000-7000-8000-000000000001", 987654321L));
    }

    @Test
    void aHeapOrDirectBufferReadsAsTheTextDoes() throws IOException {
        byte[] bytes = ("  " + NOTIFICATION).getBytes(StandardCharsets.UTF_8);
        ByteBuf heap = Unpooled.wrappedBuffer(bytes).skipBytes(2);
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes).skipBytes(2);
        try {
            assertThat(NativeMessage.parse(heap)).isEqualTo(NativeMessage.parse(NOTIFICATION));
            assertThat(NativeMessage.parse(direct)).isEqualTo(NativeMessage.parse(NOTIFICATION));
        } finally {
            direct.release();
        }
    }

    @Test
    void controlMessagesGiveTheirTypeAndCursorWhateverTheFieldOrder() throws IOException {
        assertThat(NativeMessage.parse("""
                {"payload":{"userId":7,"connectionId":"c","cursor":12,"serverTime":"now"},"type":"connected"}"""))
                .isEqualTo(new NativeMessage("connected", -1, 12, null, 0));
        assertThat(NativeMessage.parse("""
                {"type":"subscribed","payload":{"topic":"bench","from":3,"cursor":5}}"""))
                .isEqualTo(new NativeMessage("subscribed", -1, 5, null, 0));
        assertThat(NativeMessage.parse("{\"type\":\"ping\",\"payload\":{}}"))
                .isEqualTo(new NativeMessage("ping", -1, -1, null, 0));
    }

    @Test
    void aTopicMessageWithoutAStampGivesZero() throws IOException {
        assertThat(NativeMessage.parse("""
                {"type":"topic_message","payload":{"topic":"b","seq":9,"id":"x","data":{"other":1}}}"""))
                .isEqualTo(new NativeMessage("topic_message", 9, -1, "x", 0));
    }

    @Test
    void aFieldOfAnUnexpectedShapeIsSkippedWholeAndTheFieldsAfterItStillRead() throws IOException {
        assertThat(NativeMessage.parse("""
                {"type":"notification","payload":{"seq":{"n":[1,2]},"id":["a"],"data":[{"t":5}],"cursor":{"x":1},                "later":{"seq":99},"seq":7}}"""))
                .isEqualTo(new NativeMessage("notification", 7, -1, null, 0));
    }

    @Test
    void somethingThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> NativeMessage.parse("[1,2]")).isInstanceOf(IOException.class);
    }
}
