package dev.herald.desktop.toast;

import dev.herald.desktop.center.NotificationText;
import dev.herald.desktop.net.Notification;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.StageStyle;

/** One small always-on-top window per toast, stacked upwards from the bottom-right corner of the screen. */
public final class ToastView {

    static final double WIDTH = 340;
    private static final double GAP = 8;

    private final ToastViewModel viewModel;
    private final Clock clock;
    private final Map<Toast, Stage> windows = new LinkedHashMap<>();

    public ToastView(ToastViewModel viewModel, Clock clock) {
        this.viewModel = viewModel;
        this.clock = clock;
        viewModel.toasts().addListener((ListChangeListener<Toast>) change -> {
            while (change.next()) {
                change.getRemoved().forEach(this::hide);
                change.getAddedSubList().forEach(this::show);
            }
            layout();
        });
    }

    /** The open toast windows, oldest first (for tests and the screenshot). */
    public Map<Toast, Stage> windows() {
        return windows;
    }

    public void close() {
        windows.values().forEach(Stage::hide);
        windows.clear();
    }

    private void show(Toast toast) {
        VBox content = switch (toast) {
            case Toast.Single single -> single(single);
            case Toast.Summary summary -> summary(summary);
        };
        content.getStyleClass().add("toast");
        content.setId("toast");
        content.setPrefWidth(WIDTH);
        content.setPadding(new Insets(10, 12, 10, 12));
        content.setStyle("-fx-background-color: white; -fx-border-color: #b0bec5; -fx-border-width: 1;"
                + " -fx-effect: dropshadow(gaussian, rgba(0,0,0,0.25), 8, 0, 0, 2);");
        content.setOnMouseClicked(e -> viewModel.open(toast));
        Stage stage = new Stage(StageStyle.UNDECORATED);
        stage.setAlwaysOnTop(true);
        stage.setTitle("Herald notification");
        stage.setScene(new Scene(content));
        windows.put(toast, stage);
        stage.show();
    }

    private VBox single(Toast.Single toast) {
        Notification notification = toast.notification();
        Label title = new Label(notification.title());
        title.setId("toast-title");
        title.setStyle("-fx-font-weight: bold; -fx-font-size: 13px;");
        Label message = new Label(notification.message());
        message.setId("toast-message");
        message.setWrapText(true);
        message.setMaxHeight(60);
        Label priority = new Label(NotificationText.priority(notification.priority()));
        priority.setId("toast-priority");
        priority.setStyle(NotificationText.priorityStyle(notification.priority()));
        Label time = new Label(NotificationText.relativeTime(notification.createdAt(), clock.instant()));
        time.setStyle("-fx-text-fill: #607d8b; -fx-font-size: 11px;");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button markRead = new Button("Mark read");
        markRead.setId("toast-mark-read");
        markRead.setOnAction(e -> {
            e.consume();
            viewModel.markRead(toast);
        });
        HBox footer = new HBox(8, priority, time, spacer, markRead);
        footer.setAlignment(Pos.CENTER_LEFT);
        return new VBox(4, title, message, footer);
    }

    private VBox summary(Toast.Summary toast) {
        Label title = new Label(toast.text());
        title.setId("toast-title");
        title.setStyle("-fx-font-weight: bold; -fx-font-size: 13px;");
        Label hint = new Label("Click to open the notification center");
        hint.setStyle("-fx-text-fill: #607d8b; -fx-font-size: 11px;");
        return new VBox(4, title, hint);
    }

    private void hide(Toast toast) {
        Stage stage = windows.remove(toast);
        if (stage != null) {
            stage.hide();
        }
    }

    private void layout() {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double bottom = screen.getMaxY() - GAP;
        for (Stage stage : windows.values()) {
            double height = stage.getHeight() > 0 ? stage.getHeight() : 90;
            bottom -= height;
            stage.setX(screen.getMaxX() - WIDTH - GAP * 2);
            stage.setY(bottom);
            bottom -= GAP;
        }
    }
}
