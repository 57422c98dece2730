import Fluent

/// 002: holiday notices loaded after shipping (a new year's 放假安排) and local calendar
/// adjustments per jurisdiction. The shipped notices (2004–2026) stay in the `Core` bundle.
struct CreateCalendar: AsyncMigration {
    var name: String { "002_CreateCalendar" }

    func prepare(on db: Database) async throws {
        try await db.schema("holiday_notices")
            .id()
            .field("year", .int, .required)
            .field("number", .string, .required)
            .field("body", .string, .required)
            .field("loaded_by", .string, .required)
            .field("loaded_at", .datetime, .required)
            .unique(on: "year")
            .create()

        try await db.schema("calendar_adjustments")
            .id()
            .field("jurisdiction_id", .string, .required, .references("jurisdictions", "id"))
            .field("date", .string, .required)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("source", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "jurisdiction_id", "date")
            .create()
    }

    func revert(on db: Database) async throws {
        try await db.schema("calendar_adjustments").delete()
        try await db.schema("holiday_notices").delete()
    }
}
