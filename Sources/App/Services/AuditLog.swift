import Core
import Fluent
import SQLKit
import Vapor

/// Who did it, for the audit trail.
struct AuditContext: Sendable {
    var actor: String
    var requestID: String
    var ip: String
    var now: Date

    static func system(_ name: String, now: Date) -> AuditContext {
        AuditContext(actor: name, requestID: "cli-\(UUID().uuidString.prefix(8))", ip: "-", now: now)
    }
}

extension Request {
    /// The audit context of this request, named after the logged-in user (or "anonymous").
    var auditContext: AuditContext {
        AuditContext(actor: principal?.user.username ?? "anonymous", requestID: id,
                     ip: remoteAddress?.ipAddress ?? "-", now: now)
    }
}

/// Appends to the hash-chained audit log. Call it inside the transaction of the change it
/// records, so the change and its record commit together or not at all.
enum AuditLog {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static func json<T: Encodable>(_ value: T?) -> String? {
        guard let value else { return nil }
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) }
    }

    static func append<B: Encodable, A: Encodable>(
        on db: Database, _ ctx: AuditContext, action: String, entityType: String, entityID: String,
        before: B?, after: A?
    ) async throws {
        // PostgreSQL: serialise appends across app instances; SQLite serialises writes itself.
        if let sql = db as? SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(7310)").run()
        }
        let last = try await AuditEventModel.query(on: db).sort(\.$id, .descending).first()
        let entry = AuditEntry(seq: 0, at: ctx.now, actor: ctx.actor, action: action, entityType: entityType,
                               entityID: entityID, before: json(before), after: json(after),
                               requestID: ctx.requestID, ip: ctx.ip, prevHash: "")
        try await AuditEventModel(AuditChain.seal(entry, after: last?.entry)).create(on: db)
    }

    /// A security event with no before/after state (login, failure, lockout, denial).
    static func security(on db: Database, _ ctx: AuditContext, action: String, entityType: String = "security",
                         entityID: String, detail: [String: String] = [:]) async throws {
        try await db.transaction { tx in
            try await append(on: tx, ctx, action: action, entityType: entityType, entityID: entityID,
                             before: Optional<String>.none, after: detail.isEmpty ? nil : detail)
        }
    }

    /// Verifies the whole chain in pages; returns the breaks and the number of rows read.
    static func verify(on db: Database) async throws -> (breaks: [AuditChain.Break], count: Int) {
        var breaks: [AuditChain.Break] = []
        var previous: AuditEntry?
        var count = 0
        var after = 0
        while true {
            let page = try await AuditEventModel.query(on: db).filter(\.$id > after).sort(\.$id).limit(1000).all()
            guard !page.isEmpty else { break }
            let entries = page.map(\.entry)
            breaks += AuditChain.verify(entries, after: previous)
            previous = entries.last
            count += entries.count
            after = entries.last!.seq
        }
        return (breaks, count)
    }
}
