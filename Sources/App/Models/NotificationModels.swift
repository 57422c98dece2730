import Fluent
import Foundation

/// 通知 — one in-app message to one user. `key` is unique, so an event retried or fired by a
/// second instance never produces a second copy.
final class NotificationModel: Model, @unchecked Sendable {
    static let schema = "notifications"
    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "key") var key: String
    /// reminder, overdue, escalation
    @Field(key: "kind") var kind: String
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    /// Where to go in the staff UI.
    @Field(key: "link") var link: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}

/// An outgoing webhook: a government SMS or messaging gateway that receives every event as a
/// signed JSON POST.
final class WebhookModel: Model, @unchecked Sendable {
    static let schema = "webhooks"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "url") var url: String
    /// The HMAC-SHA256 key the receiver checks the signature with.
    @Field(key: "secret") var secret: String
    @Field(key: "active") var active: Bool
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// One event for one webhook, retried with backoff until delivered or given up; every attempt's
/// outcome is recorded here.
final class WebhookDeliveryModel: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"
    @ID(key: .id) var id: UUID?
    @Field(key: "webhook_id") var webhookID: UUID
    @Field(key: "event_key") var eventKey: String
    @Field(key: "payload") var payload: String
    /// pending, delivered, failed
    @Field(key: "state") var state: String
    @Field(key: "attempts") var attempts: Int
    @Field(key: "next_attempt_at") var nextAttemptAt: Date
    /// Claimed by a sender until then (another instance leaves it alone).
    @OptionalField(key: "leased_until") var leasedUntil: Date?
    @OptionalField(key: "last_status") var lastStatus: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
