package dev.herald.notification;

import dev.herald.auth.UserDirectory;
import dev.herald.ops.InvalidRequestException;
import dev.herald.ops.Problem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Every way into the notification store: one notification, one per listed user, a batch, a broadcast. It
 * checks requests and finds their recipients; {@link NotificationWriter} stores them, one transaction per
 * request, per broadcast chunk, or (for single notifications) per {@link GroupCommit group} of concurrent
 * requests.
 */
@Singleton
public final class PublishService {

    static final String RECIPIENT_NOT_FOUND = "Recipient not found";
    private static final String ONE_RECIPIENT_FIELD =
            "give exactly one of userId, username, userIds, usernames and audience";

    private final NotificationWriter writer;
    private final GroupCommit groupCommit;
    private final NotificationRepository notifications;
    private final Recipients recipients;
    private final Contents contents;
    private final UserDirectory users;
    private final TransactionOperations<Connection> transactions;
    private final PublishConfig config;
    private final PublishesInFlight inFlight;

    PublishService(NotificationWriter writer, GroupCommit groupCommit, NotificationRepository notifications,
                   Recipients recipients, Contents contents, UserDirectory users,
                   TransactionOperations<Connection> transactions, PublishConfig config, PublishesInFlight inFlight) {
        this.writer = writer;
        this.groupCommit = groupCommit;
        this.notifications = notifications;
        this.recipients = recipients;
        this.contents = contents;
        this.users = users;
        this.transactions = transactions;
        this.config = config;
        this.inFlight = inFlight;
    }

    // Each entry point counts as in flight until it returns, so a stopping node lets it finish (PublishesInFlight).

    /** See {@link #publishOne}. */
    public PublishResult publish(long publisherId, PublishRequest request, @Nullable String idempotencyKey) {
        return inFlight.track(() -> publishOne(publisherId, request, idempotencyKey));
    }

    /** See {@link #publishToList}. */
    public BulkPublishResult publishToMany(long publisherId, PublishRequest request, @Nullable String idempotencyKey) {
        return inFlight.track(() -> publishToList(publisherId, request, idempotencyKey));
    }

    /** See {@link #publishAll}. */
    public BulkPublishResult publishBatch(long publisherId, List<PublishRequest> batch) {
        return inFlight.track(() -> publishAll(publisherId, batch));
    }

    /** See {@link #broadcastToAll}. */
    public BroadcastResult broadcast(long publisherId, PublishRequest request, String idempotencyKey) {
        return inFlight.track(() -> broadcastToAll(publisherId, request, idempotencyKey));
    }

    /** A publish outcome: the notification, and whether this call created it or replayed an earlier one. */
    public record PublishResult(Notification notification, boolean created) {
    }

    /**
     * Stores a notification for one user. With an idempotency key, a repeat of the same request returns the
     * notification the first one created, and a different request under the same key is refused with 409.
     */
    private PublishResult publishOne(long publisherId, PublishRequest request, @Nullable String idempotencyKey) {
        if (request.userId() == null && request.username() == null || request.recipientFields() != 1) {
            throw new InvalidRequestException("userId", ONE_RECIPIENT_FIELD);
        }
        Content content = contents.of(request, idempotencyKey != null);
        // An id goes straight to the writer, whose seq reservation finds out whether the user exists (404 if
        // not): a query fewer on the busiest path. A name needs its look-up.
        Long userId = request.userId();
        if (userId == null) {
            List<Long> found = recipients.resolve(List.of(request), true).getFirst().userIds();
            if (found.isEmpty()) {
                throw NotificationWriter.recipientNotFound();
            }
            userId = found.getFirst();
        }
        return groupCommit.store(Draft.of(0, publisherId, userId, content, idempotencyKey));
    }

    /**
     * Stores one notification for each user the request lists ({@code userIds} or {@code usernames}), each
     * with that user's next seq, in one transaction. Under an idempotency key, users that already have the
     * notification get it replayed and the others get it created.
     */
    private BulkPublishResult publishToList(long publisherId, PublishRequest request, @Nullable String idempotencyKey) {
        if (!request.hasRecipientList() || request.recipientFields() != 1) {
            throw new InvalidRequestException("userIds", ONE_RECIPIENT_FIELD);
        }
        if (request.recipientCount() == 0) {
            throw new InvalidRequestException(request.userIds() != null ? "userIds" : "usernames",
                    "must name at least one user");
        }
        requireWithinRecipientCap(request.recipientCount());
        Content content = contents.of(request, idempotencyKey != null);
        // Ids are not looked up first: the writer's seq reservation finds unknown ones, a query fewer.
        Recipients.Resolved resolved = recipients.resolve(List.of(request), false).getFirst();
        requireAllFound(resolved);
        List<Draft> drafts = resolved.userIds().stream()
                .map(user -> Draft.of(0, publisherId, user, content, idempotencyKey)).toList();
        NotificationWriter.Outcomes outcomes = groupCommit.storeAll(drafts);
        if (!outcomes.complete()) {
            // Nothing was stored. Name the unknown recipients (404) ahead of a key conflict (409).
            requireAllFound(recipients.resolve(List.of(request), true).getFirst());
            throw outcomes.failure(drafts);
        }
        return summarise(drafts, outcomes.results());
    }

    private static void requireAllFound(Recipients.Resolved resolved) {
        if (!resolved.missing().isEmpty()) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "Recipients not found: " + listed(resolved.missing()));
        }
    }

    /**
     * Stores every request of the batch in one transaction, or none: any invalid item, and the answer is
     * 400 naming every bad item by index, with nothing stored.
     */
    private BulkPublishResult publishAll(long publisherId, List<PublishRequest> batch) {
        requireWithinCaps(batch);
        if (batch.isEmpty()) {
            throw new InvalidRequestException(null, "a batch holds 1 to " + config.maxBatchItems() + " requests");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        List<Content> itemContents = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            itemContents.add(check(i, batch.get(i), errors));
        }
        // A valid batch's ids are not looked up first: the writer's seq reservation finds unknown ones, a query
        // fewer per batch. An invalid batch is answered naming every bad item, so its ids are looked up.
        List<Draft> drafts = drafts(publisherId, batch, itemContents, recipients.resolve(batch, !errors.isEmpty()), errors);
        if (errors.isEmpty()) {
            NotificationWriter.Outcomes outcomes = groupCommit.storeAll(drafts);
            if (outcomes.complete()) {
                return summarise(drafts, outcomes.results());
            }
            // Nothing was stored. Name the items with unknown recipients (400) ahead of a key conflict (409).
            drafts(publisherId, batch, itemContents, recipients.resolve(batch, true), errors);
            if (errors.isEmpty()) {
                throw outcomes.failure(drafts);
            }
        }
        errors.sort(Comparator.comparing(Problem.FieldError::index));
        throw new InvalidRequestException(errors);
    }

    /** A batch's drafts; items naming users that do not exist, or reusing a key for a user, add errors instead. */
    private static List<Draft> drafts(long publisherId, List<PublishRequest> batch, List<Content> itemContents,
                                      List<Recipients.Resolved> resolved, List<Problem.FieldError> errors) {
        List<Draft> drafts = new ArrayList<>();
        Map<NotificationRepository.KeyedRecipient, Integer> keyUsedBy = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            PublishRequest item = batch.get(i);
            Recipients.Resolved found = resolved.get(i);
            if (!found.missing().isEmpty()) {
                errors.add(new Problem.FieldError(recipientField(item),
                        "no such user: " + listed(found.missing())).at(i));
                continue;
            }
            if (itemContents.get(i) == null) {
                continue; // invalid, and already said why
            }
            for (long user : found.userIds()) {
                if (item.idempotencyKey() != null) {
                    Integer earlier = keyUsedBy.putIfAbsent(
                            new NotificationRepository.KeyedRecipient(publisherId, item.idempotencyKey(), user), i);
                    if (earlier != null) {
                        errors.add(new Problem.FieldError("idempotencyKey", "item " + earlier
                                + " already uses this key for user " + user).at(i));
                        continue;
                    }
                }
                drafts.add(Draft.of(i, publisherId, user, itemContents.get(i), item.idempotencyKey()));
            }
        }
        return drafts;
    }

    /**
     * Stores the notification for every user, a chunk of users per transaction ({@code broadcastParallelism}
     * of them at a time), each chunk delivered as it commits. The idempotency key is what makes a broadcast that was cut short safe to run again: users
     * who have it get it replayed, the rest get it created.
     */
    private BroadcastResult broadcastToAll(long publisherId, PublishRequest request, String idempotencyKey) {
        if (!request.isBroadcast() || request.recipientFields() != 1) {
            throw new InvalidRequestException("audience", ONE_RECIPIENT_FIELD);
        }
        Content content = contents.of(request, true);
        requireSameContentAsBefore(publisherId, idempotencyKey, content);
        // Chunks hold disjoint users, so they take no locks from each other: storing a few at once lets the
        // database use more than one core, which is what bounds a broadcast's time to its last delivery.
        Semaphore slots = new Semaphore(config.broadcastParallelism());
        List<Future<Long>> chunks = new ArrayList<>();
        long recipientCount = 0;
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            long afterUser = 0;
            List<Long> chunk;
            do {
                chunk = users.idsAfter(afterUser, config.broadcastChunkSize());
                if (chunk.isEmpty()) {
                    break;
                }
                slots.acquireUninterruptibly();
                if (chunks.stream().anyMatch(PublishService::failed)) {
                    slots.release();
                    break; // cut short: a rerun under the same key creates only what is missing
                }
                List<Draft> drafts = chunk.stream().map(user -> Draft.of(0, publisherId, user, content, idempotencyKey)).toList();
                chunks.add(writers.submit(() -> {
                    try {
                        return writer.storeAll(drafts).stream().filter(PublishResult::created).count();
                    } finally {
                        slots.release();
                    }
                }));
                recipientCount += chunk.size();
                afterUser = chunk.getLast();
            } while (chunk.size() == config.broadcastChunkSize());
        }
        long created = 0;
        for (Future<Long> stored : chunks) {
            created += outcomeOf(stored);
        }
        return new BroadcastResult(recipientCount, created, recipientCount - created);
    }

    private static boolean failed(Future<Long> chunk) {
        return chunk.state() == Future.State.FAILED;
    }

    private static long outcomeOf(Future<Long> chunk) {
        try {
            return chunk.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while a broadcast was being stored", e);
        }
    }

    /**
     * A broadcast under a key already used with other content would fail at its first chunk that meets
     * an earlier recipient, after the chunks before it committed. So every row the key already names is
     * checked first (a single publish may have used the key for a user the broadcast has not reached),
     * and the broadcast is refused whole.
     */
    private void requireSameContentAsBefore(long publisherId, String key, Content content) {
        if (transactions.executeRead(status -> notifications.keyedByOtherRequest(publisherId, key, content::fingerprintFor))) {
            throw new HttpStatusException(HttpStatus.CONFLICT, NotificationWriter.KEY_CONFLICT);
        }
    }

    /** The request's constraints and the checks they cannot express, of one batch item; errors are added at its index. */
    private @Nullable Content check(int index, @Nullable PublishRequest item, List<Problem.FieldError> errors) {
        if (item == null) {
            errors.add(new Problem.FieldError(null, "must be a publish request, not null").at(index));
            return null;
        }
        int before = errors.size();
        PublishRequestRules.violations(item).forEach(error -> errors.add(error.at(index)));
        if (item.isBroadcast()) {
            errors.add(new Problem.FieldError("audience",
                    "a batch cannot broadcast: send \"audience\": \"all\" on its own").at(index));
        } else if (item.recipientFields() != 1) {
            errors.add(new Problem.FieldError("userId", ONE_RECIPIENT_FIELD).at(index));
        } else if (item.hasRecipientList() && item.recipientCount() == 0) {
            errors.add(new Problem.FieldError(recipientField(item), "must name at least one user").at(index));
        }
        if (errors.size() > before) {
            return null;
        }
        try {
            return contents.of(item, item.idempotencyKey() != null);
        } catch (InvalidRequestException e) {
            e.errors().forEach(error -> errors.add(error.at(index)));
            return null;
        }
    }

    /**
     * Refuses with 413 a batch of more requests, or requests for more notifications, than one call may
     * make; returns how many notifications they ask for (a broadcast counts none).
     */
    long requireWithinCaps(List<PublishRequest> requests) {
        if (requests.size() > config.maxBatchItems()) {
            throw new HttpStatusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "A batch holds at most "
                    + config.maxBatchItems() + " requests; this one has " + requests.size() + ": split it");
        }
        long notifications = requests.stream()
                .mapToLong(request -> request == null || request.isBroadcast() ? 0 : request.recipientCount()).sum();
        requireWithinRecipientCap(notifications);
        return notifications;
    }

    private void requireWithinRecipientCap(long recipientCount) {
        if (recipientCount > config.maxRecipients()) {
            throw new HttpStatusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "One request creates at most "
                    + config.maxRecipients() + " notifications; this one asks for " + recipientCount
                    + ": split it, or broadcast with \"audience\": \"all\"");
        }
    }

    private static BulkPublishResult summarise(List<Draft> drafts, List<PublishResult> outcomes) {
        List<PublishedItem> items = new ArrayList<>(outcomes.size());
        int created = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Notification notification = outcomes.get(i).notification();
            boolean isNew = outcomes.get(i).created();
            created += isNew ? 1 : 0;
            items.add(new PublishedItem(drafts.get(i).index(), notification.id(), notification.userId(),
                    notification.seq(), notification.createdAt(), isNew));
        }
        return new BulkPublishResult(created, items.size() - created, items);
    }

    private static String recipientField(PublishRequest request) {
        if (request.usernames() != null) {
            return "usernames";
        }
        if (request.userIds() != null) {
            return "userIds";
        }
        return request.username() != null ? "username" : "userId";
    }

    /** At most ten of them, so that an error about 10,000 names stays readable. */
    private static String listed(List<String> values) {
        String shown = String.join(", ", values.subList(0, Math.min(10, values.size())));
        return values.size() > 10 ? shown + " and " + (values.size() - 10) + " more" : shown;
    }
}
