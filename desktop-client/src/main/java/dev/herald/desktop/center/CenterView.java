package dev.herald.desktop.center;

import dev.herald.desktop.net.Notification;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;

/** The notification center window: newest first, unread in bold, more history loaded as the list nears its end. */
public final class CenterView {

    private final CenterViewModel viewModel;
    private final Stage stage;
    private final ListView<Notification> list;

    public CenterView(CenterViewModel viewModel, String username) {
        this.viewModel = viewModel;
        this.list = new ListView<>(viewModel.visible());
        list.setId("center-list");
        list.setCellFactory(view -> new NotificationCell());
        list.setPlaceholder(new Label("No notifications"));

        Label status = new Label();
        status.setId("center-status");
        status.textProperty().bind(viewModel.statusProperty());
        // "Reconnecting in N s" counts down: re-read the status every second while the window shows.
        Timeline ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> viewModel.statusProperty().invalidate()));
        ticker.setCycleCount(Animation.INDEFINITE);
        CheckBox unreadOnly = new CheckBox("Unread only");
        unreadOnly.setId("center-unread-only");
        unreadOnly.selectedProperty().bindBidirectional(viewModel.unreadOnlyProperty());
        Button markAll = new Button("Mark all read");
        markAll.setId("center-mark-all-read");
        markAll.setOnAction(e -> viewModel.markAllRead());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(10, status, spacer, unreadOnly, markAll);
        toolbar.setAlignment(Pos.CENTER_LEFT);
        toolbar.setPadding(new Insets(8, 10, 8, 10));

        ProgressIndicator loading = new ProgressIndicator();
        loading.setPrefSize(16, 16);
        loading.visibleProperty().bind(viewModel.loadingProperty());
        Label error = new Label();
        error.setStyle("-fx-text-fill: #c62828;");
        error.textProperty().bind(viewModel.errorProperty());
        HBox footer = new HBox(8, loading, error);
        footer.setPadding(new Insets(4, 10, 4, 10));

        BorderPane root = new BorderPane(list, toolbar, null, footer, null);
        root.setId("center");
        stage = new Stage();
        stage.setTitle("Herald — " + username);
        stage.setScene(new Scene(root, 460, 560));
        stage.setOnShown(e -> ticker.play());
        stage.setOnHidden(e -> ticker.stop());

        viewModel.focusedProperty().subscribe(id -> {
            if (id == null) {
                return;
            }
            for (int i = 0; i < list.getItems().size(); i++) {
                if (list.getItems().get(i).id().equals(id)) {
                    list.getSelectionModel().select(i);
                    list.scrollTo(i);
                    return;
                }
            }
        });
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    public void close() {
        stage.hide();
    }

    private final class NotificationCell extends ListCell<Notification> {

        private final Label title = new Label();
        private final Label message = new Label();
        private final Label priority = new Label();
        private final Label time = new Label();
        private final Button markRead = new Button("Mark read");
        private final VBox content;

        NotificationCell() {
            title.getStyleClass().add("row-title");
            message.setWrapText(true);
            message.setMaxHeight(48);
            time.setStyle("-fx-text-fill: #607d8b; -fx-font-size: 11px;");
            markRead.getStyleClass().add("row-mark-read");
            markRead.setOnAction(e -> viewModel.markRead(getItem()));
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            HBox footer = new HBox(8, priority, time, spacer, markRead);
            footer.setAlignment(Pos.CENTER_LEFT);
            content = new VBox(3, title, message, footer);
            content.setPadding(new Insets(4, 2, 4, 2));
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(Notification item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().remove("unread");
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            title.setText(item.title());
            title.setStyle(item.unread() ? "-fx-font-weight: bold; -fx-font-size: 13px;" : "-fx-font-weight: normal; -fx-font-size: 13px;");
            if (item.unread()) {
                getStyleClass().add("unread");
            }
            message.setText(item.message());
            priority.setText(NotificationText.priority(item.priority()));
            priority.setStyle(NotificationText.priorityStyle(item.priority()));
            time.setText(NotificationText.relativeTime(item.createdAt(), viewModel.clock().instant()));
            markRead.setVisible(item.unread());
            setGraphic(content);
            // Infinite scroll: the last row coming into view asks for the next page.
            if (getIndex() == getListView().getItems().size() - 1) {
                viewModel.loadMore();
            }
        }
    }
}
