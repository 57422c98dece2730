import Fluent
import SQLKit

/// 005: emergency incidents (SPEC §5) — the incident with its facts and releaser, its releases
/// (first and follow-up), its warnings (重要预警) and timeline. Its hour clocks are rows of
/// `deadlines` (subject `incident`). A release activity may belong to an incident.
struct CreateIncidents: AsyncMigration {
    var name: String { "005_CreateIncidents" }

    func prepare(on db: Database) async throws {
        try await db.schema("incidents")
            .id()
            .field("jurisdiction_id", .string, .required, .references("jurisdictions", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("title", .string, .required)
            .field("type", .string, .required)
            .field("level", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("registered_at", .datetime, .required)
            .field("place", .string, .required)
            .field("scene", .string, .required)
            .field("measures", .string, .required)
            .field("dead", .int, .required)
            .field("injured", .int, .required)
            .field("missing", .int, .required)
            .field("trapped", .int, .required)
            .field("casualties_confirmed", .bool, .required)
            .field("heavy_casualties", .bool, .required)
            .field("major_impact", .bool, .required)
            .field("major_online_opinion", .bool, .required)
            .field("releaser", .string, .required)
            .field("releaser_note", .string, .required)
            .field("headquarters", .string, .required)
            .field("state", .string, .required)
            .field("first_released_at", .datetime)
            .field("closed_at", .datetime)
            .field("created_by", .uuid, .required, .references("users", "id"))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()

        try await db.schema("incident_releases")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id"))
            .field("kind", .string, .required)
            .field("released_at", .datetime, .required)
            .field("summary", .string, .required)
            .field("activity_id", .uuid, .references("release_activities", "id"))
            .field("created_by", .uuid, .required, .references("users", "id"))
            .create()

        try await db.schema("incident_warnings")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id"))
            .field("level", .string, .required)
            .field("starts_at", .datetime, .required)
            .field("area", .string, .required)
            .field("advice", .string, .required)
            .field("state", .string, .required)
            .field("issued_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("lifted_at", .datetime)
            .create()

        try await db.schema("incident_events")
            .id()
            .field("incident_id", .uuid, .required, .references("incidents", "id"))
            .field("at", .datetime, .required)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("note", .string, .required)
            .create()

        try await db.schema("release_activities").field("incident_id", .uuid, .references("incidents", "id")).update()

        if let sql = db as? SQLDatabase {
            for (table, column) in [("incidents", "agency_id"), ("incidents", "state"), ("incident_releases", "incident_id"),
                                    ("incident_warnings", "incident_id"), ("incident_events", "incident_id")] {
                try await sql.create(index: "idx_\(table)_\(column)").on(table).column(column).run()
            }
        }
    }

    func revert(on db: Database) async throws {
        try await db.schema("release_activities").deleteField("incident_id").update()
        for table in ["incident_events", "incident_warnings", "incident_releases", "incidents"] { try await db.schema(table).delete() }
    }
}
