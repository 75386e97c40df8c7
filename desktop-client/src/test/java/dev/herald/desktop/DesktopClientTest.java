package dev.herald.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DesktopClientTest {

    @Test
    void missingServerAddressFallsBackToLocalhost() {
        assertThat(DesktopClient.serverAddress(null)).hasToString("http://localhost:8080");
        assertThat(DesktopClient.serverAddress("  ")).hasToString("http://localhost:8080");
    }

    @Test
    void serverAddressWithoutHttpSchemeIsRefused() {
        assertThatThrownBy(() -> DesktopClient.serverAddress("ftp://example.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://");
    }

    @Test
    void httpsServerAddressIsKept() {
        assertThat(DesktopClient.serverAddress("https://herald.example.org"))
                .hasToString("https://herald.example.org");
    }
}
