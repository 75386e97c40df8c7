package dev.herald.pairing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.herald.Api;
import dev.herald.HeraldServer;
import dev.herald.SseClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import javax.imageio.ImageIO;

/** The steps of pairing a device, as a device and a phone take them over HTTP, and checks of what is stored. */
final class DevicePairing {

    record Created(String pairingId, String qrToken, String expiresAt) {
    }

    private final HeraldServer herald;
    private final Api api;

    DevicePairing(HeraldServer herald) {
        this.herald = herald;
        this.api = herald.api();
    }

    Created create() {
        return created(api.post("/api/pairings", null, ""));
    }

    Created create(String label) {
        return created(api.post("/api/pairings", null, Map.of("label", label)));
    }

    SseClient listen(String pairingId) {
        return SseClient.open(api, "/api/pairings/" + pairingId + "/events", Map.of());
    }

    Api.Response scan(String accessToken, String qrToken) {
        return api.post("/api/pairings/scan", accessToken, Map.of("qrToken", qrToken));
    }

    HttpResponse<byte[]> qrPng(String pairingIdAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(api.base().resolve("/api/pairings/" + pairingIdAndQuery)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    static BufferedImage image(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    // PURE_BARCODE because the PNG is a rendering, not a photo: ZXing's finder-pattern search, tuned for
    // camera frames, misses about 1 in 50 crisp renderings of a JWT-sized code and made this test flaky.
    static String decodeQr(byte[] png) throws Exception {
        BufferedImageLuminanceSource pixels = new BufferedImageLuminanceSource(image(png));
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(pixels)), Map.of(DecodeHintType.PURE_BARCODE, true))
                .getText();
    }

    /** Sign-ins of paired devices, by the label the device gave. */
    int deviceSessionsLabelled(String label) throws Exception {
        return count("SELECT count(DISTINCT family_id) FROM refresh_token WHERE device_label = ?", label);
    }

    boolean claimed(String pairingId) throws Exception {
        return count("SELECT count(*) FROM pairing WHERE id = ?::uuid AND claimed_by IS NOT NULL", pairingId) == 1;
    }

    int count(String sql, String parameter) throws Exception {
        try (Connection db = herald.db(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Created created(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        Map<String, Object> body = response.json();
        return new Created((String) body.get("pairingId"), (String) body.get("qrToken"), String.valueOf(body.get("expiresAt")));
    }
}
