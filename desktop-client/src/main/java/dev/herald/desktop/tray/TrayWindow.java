package dev.herald.desktop.tray;

import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.StageStyle;

/** Stands in for the tray where the desktop has none: a small always-on-top window in the top-right corner. */
final class TrayWindow implements TrayView {

    private final Stage stage;

    private TrayWindow(Stage stage) {
        this.stage = stage;
    }

    static TrayWindow show(TrayViewModel viewModel) {
        ImageView icon = new ImageView();
        viewModel.badgeProperty().subscribe(badge -> icon.setImage(SwingFXUtils.toFXImage(BadgeIcon.render(badge, 32), null)));
        Label count = new Label();
        count.setId("tray-unread");
        count.textProperty().bind(viewModel.unreadCountProperty().asString("%d unread"));

        MenuItem open = new MenuItem("Open");
        open.setOnAction(e -> viewModel.open());
        MenuItem markAll = new MenuItem("Mark all read");
        markAll.setOnAction(e -> viewModel.markAllRead());
        CheckMenuItem pause = new CheckMenuItem("Pause toasts");
        pause.selectedProperty().bindBidirectional(viewModel.toastsPausedProperty());
        MenuItem signOut = new MenuItem("Sign out");
        signOut.setOnAction(e -> viewModel.signOut());
        MenuItem quit = new MenuItem("Quit");
        quit.setOnAction(e -> viewModel.quit());
        MenuButton menu = new MenuButton("☰", null, open, markAll, pause, new SeparatorMenuItem(), signOut, quit);
        menu.setId("tray-menu");

        HBox root = new HBox(8, icon, count, menu);
        root.setId("tray-window");
        root.setAlignment(Pos.CENTER_LEFT);
        root.setPadding(new Insets(4, 8, 4, 8));
        root.setStyle("-fx-background-color: #f4f6f8; -fx-border-color: #c5ccd3;");
        Tooltip tooltip = new Tooltip();
        tooltip.textProperty().bind(viewModel.tooltipProperty());
        Tooltip.install(root, tooltip);
        root.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getTarget() != menu) {
                viewModel.open();
            }
        });
        root.setOnContextMenuRequested(e -> menu.show());

        Stage stage = new Stage(StageStyle.UTILITY);
        stage.setTitle("Herald");
        stage.setAlwaysOnTop(true);
        stage.setResizable(false);
        stage.setScene(new Scene(root));
        // Closing the stand-in must not quit a tray app; the menu's Quit does that.
        stage.setOnCloseRequest(e -> {
            e.consume();
            stage.setIconified(true);
        });
        stage.show();
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        stage.setX(screen.getMaxX() - stage.getWidth() - 16);
        stage.setY(screen.getMinY() + 16);
        return new TrayWindow(stage);
    }

    @Override
    public void close() {
        stage.hide();
    }
}
