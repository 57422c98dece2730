import Fluent
import SQLKit

/// 006: the portal's index (SPEC §11) — one row per *public* release activity, rewritten by
/// `PortalIndex` with every step of its workflow, so portal pages, feeds and search read one
/// table that never holds anything unpublished. Search: an FTS5 trigram table on SQLite
/// (kept in step by triggers), a pg_trgm GIN index on PostgreSQL.
struct CreatePortalIndex: AsyncMigration {
    var name: String { "006_CreatePortalIndex" }

    func prepare(on db: Database) async throws {
        try await db.schema("portal_entries")
            // An integer key: on SQLite it is the rowid the FTS table points at, and stays put.
            .field("id", .int, .identifier(auto: true))
            .field("activity_id", .uuid, .required, .references("release_activities", "id"))
            .field("jurisdiction_id", .string, .required, .references("jurisdictions", "id"))
            .field("preview", .bool, .required)
            .field("policy", .bool, .required)
            .field("expert", .bool, .required)
            .field("title", .string, .required)
            .field("summary", .string, .required)
            .field("agency", .string, .required)
            .field("form", .string, .required)
            .field("venue", .string, .required)
            .field("shown_at", .datetime)
            .field("published_at", .datetime, .required)
            .field("search_text", .string, .required)
            .field("record", .string, .required)
            .unique(on: "activity_id")
            .create()
        guard let sql = db as? SQLDatabase else { return }
        try await sql.create(index: "idx_portal_entries_listing").on("portal_entries")
            .column("jurisdiction_id").column("preview").column("published_at").run()
        if sql.dialect.name == "postgresql" {
            // pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX idx_portal_entries_search ON portal_entries USING gin (search_text gin_trgm_ops)").run()
        } else {
            try await sql.raw("""
                CREATE VIRTUAL TABLE portal_search USING fts5(search_text, content='portal_entries', content_rowid='id', tokenize='trigram')
                """).run()
            // The triggers of an external-content FTS5 table (sqlite.org/fts5.html §4.4.3).
            try await sql.raw("""
                CREATE TRIGGER portal_entries_ai AFTER INSERT ON portal_entries BEGIN
                  INSERT INTO portal_search(rowid, search_text) VALUES (new.id, new.search_text);
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER portal_entries_ad AFTER DELETE ON portal_entries BEGIN
                  INSERT INTO portal_search(portal_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
                END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER portal_entries_au AFTER UPDATE ON portal_entries BEGIN
                  INSERT INTO portal_search(portal_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);
                  INSERT INTO portal_search(rowid, search_text) VALUES (new.id, new.search_text);
                END
                """).run()
        }
        // Activities published before this version are indexed at the next start
        // (`PortalIndex.ensureCurrent`), with the code of that version, not from here.
    }

    func revert(on db: Database) async throws {
        if let sql = db as? SQLDatabase, sql.dialect.name != "postgresql" {
            for t in ["portal_entries_ai", "portal_entries_ad", "portal_entries_au"] { try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: t)").run() }
            try await sql.raw("DROP TABLE IF EXISTS portal_search").run()
        }
        try await db.schema("portal_entries").delete()
    }
}
