package dev.herald.pairing;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;

/**
 * QR device pairing settings ({@code herald.pairing.*}).
 *
 * @param qrTokenTtl         how long a QR code can be scanned; after a scan, how long the device has to
 *                           collect its tokens
 * @param checkInterval      how often this node asks the database about the pairings whose device listens
 *                           here, to see scans that reached another replica, and expiry
 * @param heartbeatInterval  how often a comment keeps an idle pairing stream open through proxies
 * @param qrSize             width and height of {@code qr.png} in pixels when the client does not ask
 * @param defaultDeviceLabel the label of the device session when the device gave none
 */
@ConfigurationProperties("herald.pairing")
record PairingConfig(@NotNull Duration qrTokenTtl,
                     @NotNull Duration checkInterval,
                     @NotNull Duration heartbeatInterval,
                     @Min(QrCodeImage.MIN_SIZE) @Max(QrCodeImage.MAX_SIZE) int qrSize,
                     @NotBlank @Size(max = PairingRequests.MAX_LABEL_LENGTH) String defaultDeviceLabel) {
}
