package dev.herald.desktop.signin;

import java.io.ByteArrayInputStream;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** The sign-in form: a Password tab and a QR tab that shows the pairing code. */
public final class SignInView {

    private final Parent root;

    public SignInView(SignInViewModel viewModel) {
        TextField server = new TextField();
        server.setId("signin-server");
        server.textProperty().bindBidirectional(viewModel.serverProperty());
        TextField username = new TextField();
        username.setId("signin-username");
        username.textProperty().bindBidirectional(viewModel.usernameProperty());
        PasswordField password = new PasswordField();
        password.setId("signin-password");
        password.textProperty().bindBidirectional(viewModel.passwordProperty());
        Button signIn = new Button("Sign in");
        signIn.setId("signin-submit");
        signIn.setDefaultButton(true);
        signIn.disableProperty().bind(viewModel.busyProperty());
        signIn.setOnAction(e -> viewModel.signIn());
        Label error = new Label();
        error.setId("signin-error");
        error.setStyle("-fx-text-fill: #c62828;");
        error.textProperty().bind(viewModel.errorProperty());

        GridPane form = new GridPane(10, 10);
        form.setPadding(new Insets(16));
        form.addRow(0, new Label("Username"), username);
        form.addRow(1, new Label("Password"), password);
        form.add(signIn, 1, 2);
        form.add(error, 0, 3, 2, 1);

        ImageView qr = new ImageView();
        qr.setId("signin-qr");
        qr.setFitWidth(220);
        qr.setFitHeight(220);
        viewModel.qrCodeProperty().subscribe(png -> qr.setImage(png == null ? null : new Image(new ByteArrayInputStream(png))));
        Label pairingStatus = new Label();
        pairingStatus.setId("signin-pairing-status");
        pairingStatus.textProperty().bind(viewModel.pairingStatusProperty());
        TextField code = new TextField();
        code.setId("signin-qr-token");
        code.setEditable(false);
        code.setMaxWidth(300);
        code.textProperty().bind(viewModel.qrTokenProperty());
        code.visibleProperty().bind(viewModel.qrTokenProperty().isNotEmpty());
        Button newCode = new Button("Show a new QR code");
        newCode.setId("signin-pair");
        newCode.setOnAction(e -> viewModel.startPairing());
        VBox pairing = new VBox(10, new Label("Scan with the Herald app on your phone"), qr, code,
                pairingStatus, newCode);
        pairing.setAlignment(Pos.TOP_CENTER);
        pairing.setPadding(new Insets(16));

        Tab passwordTab = new Tab("Password", form);
        Tab qrTab = new Tab("QR code", pairing);
        qrTab.setId("signin-qr-tab");
        qrTab.setOnSelectionChanged(e -> {
            if (qrTab.isSelected() && viewModel.qrCodeProperty().get() == null) {
                viewModel.startPairing();
            }
        });
        TabPane tabs = new TabPane(passwordTab, qrTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        server.setPrefColumnCount(24);
        HBox serverRow = new HBox(10, new Label("Server"), server);
        serverRow.setAlignment(Pos.CENTER_LEFT);
        serverRow.setPadding(new Insets(16, 16, 0, 16));
        root = new VBox(8, serverRow, tabs);
    }

    public Parent root() {
        return root;
    }
}
