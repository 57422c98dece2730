import Fluent
import SQLKit

/// 003: release activities and the press-conference workflow (SPEC §2–§4): the activity, its
/// agencies, decisions, participants, programme, documents, timeline, sittings, transcript,
/// coverage, and the `deadlines` table every clock of the platform is kept in. Accounts gain the
/// offices (职务) they approve in.
struct CreateReleases: AsyncMigration {
    var name: String { "003_CreateReleases" }

    func prepare(on db: Database) async throws {
        try await db.schema("users").field("offices", .string).update()

        try await db.schema("release_activities")
            .id()
            .field("jurisdiction_id", .string, .required, .references("jurisdictions", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("form", .string, .required)
            .field("category", .string, .required)
            .field("conference_class", .string)
            .field("organiser", .string, .required)
            .field("level", .string, .required)
            .field("major", .bool, .required)
            .field("starts_at", .datetime)
            .field("venue", .string, .required)
            .field("media", .string, .required)
            .field("stage", .string, .required)
            .field("round", .int, .required)
            .field("approval_stage", .int, .required)
            .field("urgent_reason", .string)
            .field("series", .bool, .required)
            .field("live_url", .string)
            .field("video_url", .string)
            .field("preview_published_at", .datetime)
            .field("released_at", .datetime)
            .field("held_at", .datetime)
            .field("closed_at", .datetime)
            .field("effect", .string)
            .field("brief_report", .string)
            .field("created_by", .uuid, .required, .references("users", "id"))
            .field("submitted_by", .uuid, .references("users", "id"))
            .field("submitted_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()

        try await db.schema("activity_agencies")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("is_lead", .bool, .required)
            .unique(on: "activity_id", "agency_id")
            .create()

        try await db.schema("activity_decisions")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("kind", .string, .required)
            .field("round", .int, .required)
            .field("stage", .int, .required)
            .field("outcome", .string, .required)
            .field("offices", .string, .required)
            .field("comment", .string, .required)
            .field("document_comments", .string, .required)
            .field("reviewer", .string, .required)
            .field("decided_by", .uuid, .required, .references("users", "id"))
            .field("decided_at", .datetime, .required)
            .create()

        try await db.schema("activity_participants")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("position", .int, .required)
            .field("role", .string, .required)
            .field("person_id", .uuid, .references("people", "id"))
            .field("agency_id", .uuid, .references("agencies", "id"))
            .field("name", .string, .required)
            .field("title", .string, .required)
            .field("offices", .string, .required)
            .field("on_podium", .bool, .required)
            .create()

        try await db.schema("activity_segments")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("position", .int, .required)
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("speaker", .string, .required)
            .field("agency_id", .uuid, .references("agencies", "id"))
            .field("minutes", .int, .required)
            .create()

        try await db.schema("activity_documents")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("kind", .string, .required)
            .field("filename", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("storage_key", .string, .required)
            .field("is_public", .bool, .required)
            .field("round", .int, .required)
            .field("late", .bool, .required)
            .field("uploaded_by", .uuid, .required, .references("users", "id"))
            .field("uploaded_at", .datetime, .required)
            .unique(on: "storage_key")
            .create()

        try await db.schema("activity_events")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("at", .datetime, .required)
            .field("actor_id", .uuid, .references("users", "id"))
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("stage_from", .string, .required)
            .field("stage_to", .string, .required)
            .field("note", .string, .required)
            .create()

        try await db.schema("activity_sittings")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("number", .int, .required)
            .field("starts_at", .datetime, .required)
            .field("venue", .string, .required)
            .field("held_at", .datetime)
            .field("note", .string, .required)
            .unique(on: "activity_id", "number")
            .create()

        try await db.schema("activity_transcripts")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("sitting", .int)
            .field("position", .int, .required)
            .field("speaker", .string, .required)
            .field("text", .string, .required)
            .create()

        try await db.schema("activity_coverage")
            .id()
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("outlet", .string, .required)
            .field("title", .string, .required)
            .field("url", .string, .required)
            .field("published_on", .string, .required)
            .field("added_by", .uuid, .required, .references("users", "id"))
            .field("added_at", .datetime, .required)
            .create()

        try await db.schema("deadlines")
            .id()
            .field("subject_type", .string, .required)
            .field("subject_id", .uuid, .required)
            .field("jurisdiction_id", .string, .required, .references("jurisdictions", "id"))
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("kind", .string, .required)
            .field("round", .int, .required)
            .field("label", .string, .required)
            .field("due_day", .string, .required)
            .field("due_at", .datetime, .required)
            .field("certain", .bool, .required)
            .field("source", .string, .required)
            .field("explanation", .string, .required)
            .field("state", .string, .required)
            .field("closed_at", .datetime)
            .field("created_at", .datetime, .required)
            .unique(on: "subject_id", "kind", "round")
            .create()

        // Lookups by parent and the due-date sweep; plain indexes both databases understand.
        if let sql = db as? SQLDatabase {
            let indexes: [(String, String)] = [
                ("release_activities", "agency_id"), ("release_activities", "stage"), ("release_activities", "starts_at"),
                ("activity_agencies", "agency_id"), ("activity_decisions", "activity_id"),
                ("activity_participants", "activity_id"), ("activity_segments", "activity_id"),
                ("activity_documents", "activity_id"), ("activity_events", "activity_id"), ("activity_sittings", "activity_id"),
                ("activity_transcripts", "activity_id"), ("activity_coverage", "activity_id"),
                ("deadlines", "due_at"), ("deadlines", "agency_id"),
            ]
            for (table, column) in indexes {
                try await sql.create(index: "idx_\(table)_\(column)").on(table).column(column).run()
            }
        }
    }

    func revert(on db: Database) async throws {
        for table in ["deadlines", "activity_coverage", "activity_transcripts", "activity_sittings", "activity_events",
                      "activity_documents", "activity_segments", "activity_participants", "activity_decisions",
                      "activity_agencies", "release_activities"] {
            try await db.schema(table).delete()
        }
        try await db.schema("users").deleteField("offices").update()
    }
}
