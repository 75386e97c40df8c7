package dev.herald.desktop.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.desktop.net.FakeHeraldApi;
import dev.herald.desktop.net.PairedSession;
import dev.herald.desktop.net.Pairing;
import dev.herald.desktop.net.Tokens;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SignInViewModelTest {

    private final FakeHeraldApi api = new FakeHeraldApi();
    private final List<SignInViewModel.SignedIn> signedIn = new CopyOnWriteArrayList<>();
    private final SignInViewModel model = new SignInViewModel("http://herald.test", server -> api, signedIn::add,
            Runnable::run, "test device");

    @Test
    void aPairingLeftOpenWhenSigningInWithAPasswordSignsInNothingWhenThePhoneScansLater() {
        api.nextPairing = CompletableFuture.completedFuture(new Pairing(UUID.randomUUID(), "qr", Instant.now().plusSeconds(120)));
        model.startPairing();
        assertThat(model.qrCodeProperty().get()).as("the QR code is showing").isNotNull();

        model.usernameProperty().set("alice");
        model.passwordProperty().set("alice-password");
        api.nextLogin = CompletableFuture.completedFuture(new Tokens("access", "refresh", 900));
        model.signIn().join();
        api.nextPairedSession.complete(new PairedSession(new Tokens("paired-access", "paired-refresh", 900), "bob", 2));

        assertThat(signedIn).extracting(SignInViewModel.SignedIn::username).containsExactly("alice");
    }
}
