import Fluent
import SQLKit

/// 004: what the deadline scheduler needs — when each clock's next reminder is due and whether
/// its overdue event has fired — plus the in-app notifications and outgoing webhooks with
/// their deliveries. Unique keys make every event exactly-once across retries and instances.
struct CreateNotifications: AsyncMigration {
    var name: String { "004_CreateNotifications" }

    func prepare(on db: Database) async throws {
        // One column per statement: SQLite adds columns one at a time.
        try await db.schema("deadlines").field("next_reminder_at", .datetime).update()
        try await db.schema("deadlines").field("reminders_sent", .int).update()
        try await db.schema("deadlines").field("overdue_fired_at", .datetime).update()
        // Bumped whenever a clock is moved or reopened; part of every event key, so a clock that
        // runs out again after a move is told again (and a replay of one generation is not).
        try await db.schema("deadlines").field("generation", .int).update()

        try await db.schema("notifications")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("key", .string, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .unique(on: "key")
            .create()

        try await db.schema("webhooks")
            .id()
            .field("name", .string, .required)
            .field("url", .string, .required)
            .field("secret", .string, .required)
            .field("active", .bool, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .create()

        try await db.schema("webhook_deliveries")
            .id()
            .field("webhook_id", .uuid, .required, .references("webhooks", "id"))
            .field("event_key", .string, .required)
            .field("payload", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("next_attempt_at", .datetime, .required)
            .field("leased_until", .datetime)
            .field("last_status", .int)
            .field("last_error", .string)
            .field("delivered_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "webhook_id", "event_key")
            .create()

        if let sql = db as? SQLDatabase {
            for (table, column) in [("notifications", "user_id"), ("webhook_deliveries", "next_attempt_at"),
                                    ("deadlines", "next_reminder_at")] {
                try await sql.create(index: "idx_\(table)_\(column)").on(table).column(column).run()
            }
        }
    }

    func revert(on db: Database) async throws {
        for table in ["webhook_deliveries", "webhooks", "notifications"] { try await db.schema(table).delete() }
        if let sql = db as? SQLDatabase { try await sql.drop(index: "idx_deadlines_next_reminder_at").run() }
        for column in ["generation", "overdue_fired_at", "reminders_sent", "next_reminder_at"] {
            try await db.schema("deadlines").deleteField(FieldKey(stringLiteral: column)).update()
        }
    }
}
