package dev.herald.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void formatsEveryInstantAsInstantToStringDoes() {
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX,
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("0000-12-31T23:59:59.999Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T12:00:00.100Z"), Instant.parse("2026-12-01T13:37:00.000001Z"),
                Instant.parse("2026-12-01T13:37:00.000000001Z"), Instant.parse("1969-12-31T23:59:59.5Z")));
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(Instant.parse("-0100-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(seconds, nanos));
        }
        for (Instant instant : instants) {
            assertThat(IsoInstant.format(instant)).isEqualTo(instant.toString());
        }
    }
}
