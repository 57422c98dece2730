import Fluent
import SQLKit

/// Small named values the server keeps for itself (migration 007): the key that signs the
/// portal's questions, the version of the portal index.
final class AppStateModel: Model, @unchecked Sendable {
    static let schema = "app_state"
    @ID(custom: "name", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String

    init() {}

    static func value(_ name: String, on db: Database) async throws -> String? {
        try await find(name, on: db)?.value
    }

    /// The stored value, or `fresh` stored now; when two instances race, the first one's wins.
    static func valueOrCreate(_ name: String, _ fresh: String, on db: Database) async throws -> String {
        if let v = try await value(name, on: db) { return v }
        let row = AppStateModel()
        row.id = name
        row.value = fresh
        do { try await row.create(on: db) } catch let e as DatabaseError where e.isConstraintFailure {}
        return try await value(name, on: db) ?? fresh
    }

    static func set(_ name: String, _ value: String, on db: Database) async throws {
        if let row = try await find(name, on: db) {
            row.value = value
            try await row.update(on: db)
        } else {
            let row = AppStateModel()
            row.id = name
            row.value = value
            try await row.create(on: db)
        }
    }
}

/// On PostgreSQL, a lock held until the end of the transaction `tx`, so that instances sharing
/// the database take turns (e.g. rebuilding the portal index, counting a rate limit before an
/// insert). SQLite transactions are already one at a time for writers.
func advisoryLock(_ key: String, on tx: Database) async throws {
    guard let sql = tx as? SQLDatabase, sql.dialect.name == "postgresql" else { return }
    try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: key)))").run()
}
