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
        // What the record page shows, and nothing more: no guests, no transcript of a preview.
        let speakers = try await ActivityParticipantModel.query(on: db).filter(\.$activityID == a.id!).all()
            .filter { $0.role != ParticipantRole.guest.rawValue }
        let lines = preview ? [] : try await ActivityTranscriptModel.query(on: db).filter(\.$activityID == a.id!).sort(\.$position).all()
        let category = ContentCategory(rawValue: a.category)
        let columns = PortalColumn.columns(isRecord: !preview, form: a.formValue, category: category,
                                           hasExpert: speakers.contains { $0.role == ParticipantRole.expert.rawValue })
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
        e.shownAt = preview || a.heldAt != nil ? (a.startsAt ?? a.heldAt) : (a.releasedAt ?? a.startsAt)
        e.publishedAt = (preview ? a.previewPublishedAt : (a.heldAt ?? a.releasedAt)) ?? a.updatedAt ?? Date(timeIntervalSince1970: 0)
        e.searchText = ([a.title, a.summary, agency, a.formValue.label, category?.label ?? "", a.venue]
            + speakers.map { "\($0.name) \($0.title)" } + lines.map { "\($0.speaker) \($0.text)" })
            .joined(separator: "\n").lowercased()
        try await e.save(on: db)
    }

    /// Every activity that may be public, again (migration 006, `fabu portal reindex`).
    static func rebuild(on db: Database) async throws {
        try await PortalEntryModel.query(on: db).delete()
        let rows = try await ReleaseActivityModel.query(on: db).filter(\.$stage ~~ Publication.publicStages.map(\.rawValue)).all()
        for a in rows { try await refresh(a, on: db) }
    }

    struct Filter {
        var jurisdiction: String?
        var preview: Bool?
        var column: PortalColumn?
        var query: PortalQuery?
    }

    /// One page of entries, newest first (previews: soonest first), and how many match (when
    /// `counting`; 0 otherwise).
    static func page(_ f: Filter, page: Int, per: Int, counting: Bool = true, on db: Database) async throws -> (rows: [PortalEntryModel], total: Int) {
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
        let ids = try await sql.raw("SELECT id FROM portal_entries WHERE \(whereClause) ORDER BY \(order) LIMIT \(bind: per) OFFSET \(bind: max(0, page - 1) * per)")
            .all().map { try $0.decode(column: "id", as: Int.self) }
        guard !ids.isEmpty else { return ([], total) }
        let byID = Dictionary(uniqueKeysWithValues: try await PortalEntryModel.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        return (ids.compactMap { byID[$0] }, total)
    }

    static func likeEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
