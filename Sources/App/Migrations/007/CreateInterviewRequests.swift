import Fluent
import SQLKit

/// 007: journalists' interview requests from the portal (SPEC R9.1; 003 §20), and the small
/// named values the server keeps for itself (`app_state`: the key that signs the portal's
/// challenge questions, shared by every instance; the version of the portal index).
struct CreateInterviewRequests: AsyncMigration {
    var name: String { "007_CreateInterviewRequests" }

    func prepare(on db: Database) async throws {
        try await db.schema("interview_requests")
            .id()
            .field("jurisdiction_id", .string, .required, .references("jurisdictions", "id"))
            // The agency the journalist asks to interview (optional) and the news office that answers.
            .field("agency_id", .uuid, .references("agencies", "id"))
            .field("office_id", .uuid, .required, .references("agencies", "id"))
            .field("name", .string, .required)
            .field("outlet", .string, .required)
            .field("press_card", .string, .required)
            .field("contact", .string, .required)
            .field("subject", .string, .required)
            .field("wished_from", .string, .required)
            .field("wished_to", .string, .required)
            .field("state", .string, .required)
            .field("handled_by", .uuid, .references("users", "id"))
            .field("handled_at", .datetime)
            .field("handled_note", .string)
            // A keyed hash of the sender's address: enough to rate-limit, not to identify.
            .field("address_hash", .string, .required)
            .field("challenge_nonce", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "challenge_nonce")
            .create()
        try await db.schema("app_state")
            .field("name", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .create()
        if let sql = db as? SQLDatabase {
            try await sql.create(index: "idx_interview_requests_office").on("interview_requests").column("office_id").column("state").run()
            try await sql.create(index: "idx_interview_requests_created").on("interview_requests").column("created_at").run()
        }
    }

    func revert(on db: Database) async throws {
        try await db.schema("app_state").delete()
        try await db.schema("interview_requests").delete()
    }
}
