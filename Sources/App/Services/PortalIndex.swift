import Core
import Fluent
import SQLKit
import Vapor

/// 门户索引 — a row per public activity (migration 006). Every workflow step rewrites its
/// activity's row in the step's transaction (`ReleaseService.record`), so the portal's lists,
/// feeds and search read only what `Publication` allows, from one table.
final class PortalEntryModel: Model, @unchecked Sendable {
    static let schema = "portal_entries"
    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "activity_id") var activityID: UUID
    @Field(key: "jurisdiction_id") var jurisdictionID: String
    @Field(key: "preview") var preview: Bool
    @Field(key: "policy") var policy: Bool
    @Field(key: "expert") var expert: Bool
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "agency") var agency: String
    @Field(key: "form") var form: String
    @Field(key: "venue") var venue: String
    /// The time a reader is shown: the event's start, or when a written release came out.
    @OptionalField(key: "shown_at") var shownAt: Date?
    /// When it became public (preview published, conference held, release out): the sort key.
    @Field(key: "published_at") var publishedAt: Date
    /// Lower-cased title, summary, agency, speakers and transcript: what search looks in.
    @Field(key: "search_text") var searchText: String
    /// The record page's content (`PortalService.Record` as JSON).
    @Field(key: "record") var record: String

    init() {}
}

enum PortalIndex {
    /// Rewrites (or removes) the row of `a` from what is public of it now.
    static func refresh(_ a: ReleaseActivityModel, on db: Database) async throws {
        let existing = try await PortalEntryModel.query(on: db).filter(\.$activityID == a.id!).first()
        guard Publication.isPublic(stage: a.stageValue, previewPublishedAt: a.previewPublishedAt) else {
            try await existing?.delete(on: db)
            return
        }
        let preview = Publication.isPreview(stage: a.stageValue, previewPublishedAt: a.previewPublishedAt)
        let agency = try await AgencyModel.find(a.agencyID, on: db)?.name ?? ""
        let jurisdiction = try await JurisdictionModel.find(a.jurisdictionID, on: db)?.name ?? ""
        // What the record page shows, and nothing more: no guests; of a preview, no transcript or files.
        let speakers = try await ActivityParticipantModel.query(on: db).filter(\.$activityID == a.id!).sort(\.$position).all()
            .filter { $0.role != ParticipantRole.guest.rawValue }
        let lines = preview ? [] : try await ActivityTranscriptModel.query(on: db).filter(\.$activityID == a.id!).sort(\.$position).all()
        let files = preview ? [] : try await ActivityDocumentModel.query(on: db).filter(\.$activityID == a.id!).filter(\.$isPublic == true).all()
        let category = ContentCategory(rawValue: a.category)
        let columns = PortalColumn.columns(isRecord: !preview, form: a.formValue, category: category,
                                           hasExpert: speakers.contains { $0.role == ParticipantRole.expert.rawValue })
        func file(_ d: ActivityDocumentModel) -> PortalService.Record.File {
            .init(id: d.id!, name: d.filename, kind: DocumentKinds.label(d.kind), size: d.size)
        }
        let shown = preview || a.heldAt != nil ? (a.startsAt ?? a.heldAt) : (a.releasedAt ?? a.startsAt)
        let record = PortalService.Record(
            id: a.id!, jurisdiction: a.jurisdictionID, jurisdictionName: jurisdiction, title: a.title, form: a.formValue.label,
            category: category?.label ?? "", agency: agency, when: shown.map(HourClock.wallTime) ?? "", venue: a.venue, preview: preview,
            summary: a.summary, liveUrl: a.liveURL ?? "", videoUrl: preview ? "" : (a.videoURL ?? ""),
            speakers: speakers.map { .init(role: ParticipantRole(rawValue: $0.role)?.label ?? "", name: $0.name, title: $0.title) },
            transcript: lines.map { .init(speaker: $0.speaker, text: $0.text) },
            policyFiles: files.filter { DocumentKinds.policyKinds.contains($0.kind) }.map(file),
            files: files.filter { !DocumentKinds.policyKinds.contains($0.kind) }.map(file))
        let e = existing ?? PortalEntryModel()
        e.activityID = a.id!
        e.jurisdictionID = a.jurisdictionID
        e.preview = preview
        e.policy = columns.contains(.policy)
        e.expert = columns.contains(.expert)
        e.title = a.title
        e.summary = a.summary
        e.agency = agency
        e.form = a.formValue.label
        e.venue = a.venue
        e.shownAt = shown
        e.publishedAt = (preview ? a.previewPublishedAt : (a.heldAt ?? a.releasedAt)) ?? a.updatedAt ?? Date(timeIntervalSince1970: 0)
        e.searchText = ([a.title, a.summary, agency, a.formValue.label, category?.label ?? "", a.venue]
            + speakers.map { "\($0.name) \($0.title)" } + lines.map { "\($0.speaker) \($0.text)" })
            .joined(separator: "\n").lowercased()
        e.record = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        try await e.save(on: db)
    }

    /// The record page of a public activity; nil when it is not public.
    static func record(_ activity: UUID, on db: Database) async throws -> PortalService.Record? {
        guard let sql = db as? SQLDatabase,
              let json = try await sql.raw("SELECT record FROM portal_entries WHERE activity_id = \(bind: activity)").first()?
                .decode(column: "record", as: String.self) else { return nil }
        do {
            return try JSONDecoder().decode(PortalService.Record.self, from: Data(json.utf8))
        } catch {
            // Our own stored data, not the reader's input: a server fault, never a 422.
            throw Abort(.internalServerError, reason: "portal index row of \(activity) is unreadable (\(error)); run `fabu portal reindex`")
        }
    }

    /// What a row holds: bump it when that changes (a field of `PortalService.Record`, a column
    /// rule), and every row is written anew at the next start.
    static let version = "1"

    /// Every activity that may be public, again (`fabu portal reindex`). Returns how many rows.
    @discardableResult
    static func rebuild(on db: Database) async throws -> Int {
        try await db.transaction { tx in
            try await advisoryLock("portal-index", on: tx)
            try await PortalEntryModel.query(on: tx).delete()
            let rows = try await ReleaseActivityModel.query(on: tx).filter(\.$stage ~~ Publication.publicStages.map(\.rawValue)).all()
            for a in rows { try await refresh(a, on: tx) }
            try await AppStateModel.set("portal-index-version", version, on: tx)
            return try await PortalEntryModel.query(on: tx).count()
        }
    }

    /// At start (after the migrations): rebuilds the index when it was written by another
    /// version, or never (a database upgraded from before migration 006).
    static func ensureCurrent(on db: Database) async throws -> Bool {
        guard try await AppStateModel.value("portal-index-version", on: db) != version else { return false }
        try await rebuild(on: db)
        return true
    }

    struct Filter {
        var jurisdiction: String?
        var preview: Bool?
        var column: PortalColumn?
        var query: PortalQuery?
    }

    /// A listed entry: the columns lists and feeds show, read in one query.
    struct Row: Decodable {
        var activity_id: UUID
        var title: String
        var summary: String
        var agency: String
        var form: String
        var venue: String
        var preview: Bool
        var shown_at: Date?
        var published_at: Date
    }

    /// One page of entries, newest first (previews: soonest first), and how many match (when
    /// `counting`; 0 otherwise).
    static func page(_ f: Filter, page: Int, per: Int, counting: Bool = true, on db: Database) async throws -> (rows: [Row], total: Int) {
        guard let sql = db as? SQLDatabase else { throw Abort(.internalServerError) }
        let postgres = sql.dialect.name == "postgresql"
        var conditions: [SQLQueryString] = []
        if let j = f.jurisdiction { conditions.append("jurisdiction_id = \(bind: j)") }
        if let p = f.preview { conditions.append("preview = \(bind: p)") }
        switch f.column {
        case .policy: conditions.append("preview = \(bind: false) AND policy = \(bind: true)")
        case .expert: conditions.append("preview = \(bind: false) AND expert = \(bind: true)")
        case .records: conditions.append("preview = \(bind: false)")
        case nil: break
        }
        for term in f.query?.terms ?? [] {
            if postgres {
                // LIKE on lower-cased text, served by the pg_trgm GIN index.
                conditions.append("search_text LIKE \(bind: "%" + likeEscaped(term) + "%") ESCAPE '\\'")
            } else if term.count >= 3 {
                // The trigram index answers a phrase of three characters or more.
                conditions.append("id IN (SELECT rowid FROM portal_search WHERE portal_search MATCH \(bind: "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""))")
            } else {
                // Two characters are below the trigram: a plain substring scan.
                conditions.append("instr(search_text, \(bind: term)) > 0")
            }
        }
        let whereClause: SQLQueryString = conditions.isEmpty ? "1 = 1" : conditions.joined(separator: " AND ")
        let order: SQLQueryString = f.preview == true ? "shown_at ASC, id ASC" : "published_at DESC, id DESC"
        let total = counting ? try await sql.raw("SELECT COUNT(*) AS n FROM portal_entries WHERE \(whereClause)").first()?.decode(column: "n", as: Int.self) ?? 0 : 0
        let rows = try await sql.raw("""
            SELECT activity_id, title, summary, agency, form, venue, preview, shown_at, published_at FROM portal_entries
            WHERE \(whereClause) ORDER BY \(order) LIMIT \(bind: per) OFFSET \(bind: max(0, page - 1) * per)
            """).all(decoding: Row.self)
        return (rows, total)
    }

    static func likeEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
