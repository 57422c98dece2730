import Core
import Fluent
import SQLKit
import Vapor

/// What the public portal reads: only what `Publication` allows, never decisions, comments or
/// non-public documents. No login, so nothing here depends on an account.
struct PortalService {
    let db: Database
    let now: Date

    struct Item: Encodable {
        var id: UUID
        var title: String
        var form: String
        var agency: String
        var when: String
        var venue: String
        var preview: Bool
    }

    struct Notice: Encodable {
        var incidentTitle: String
        var releasedAt: String
        var summary: String
    }

    struct Column: Encodable {
        var id: String
        var name: String
        var previews: [Item]
        var records: [Item]
        var emergencies: [Notice]
        /// For the column navigation: this jurisdiction, on its home.
        var jurisdiction: String
        var column = "home"
    }

    func jurisdiction(_ id: String?) async throws -> JurisdictionModel {
        guard let id, let j = try await JurisdictionModel.find(id, on: db) else { throw DomainError.notFound("栏目") }
        return j
    }

    static func item(_ e: PortalIndex.Row) -> Item {
        Item(id: e.activity_id, title: e.title, form: e.form, agency: e.agency, when: e.shown_at.map(HourClock.wallTime) ?? "",
             venue: e.venue, preview: e.preview)
    }

    /// The column of a jurisdiction: emergency notices pinned while their incident is open,
    /// upcoming previews, and the latest records.
    func column(_ j: JurisdictionModel, limit: Int = 20) async throws -> Column {
        let previews = try await PortalIndex.page(.init(jurisdiction: j.id!, preview: true), page: 1, per: 50, counting: false, on: db).rows
        let records = try await PortalIndex.page(.init(jurisdiction: j.id!, column: .records), page: 1, per: limit, counting: false, on: db).rows
        return Column(id: j.id!, name: j.name, previews: previews.map(Self.item), records: records.map(Self.item),
                      emergencies: try await emergencyNotices(j.id!), jurisdiction: j.id!)
    }

    /// The latest release of each open incident of a jurisdiction, newest first: one query.
    func emergencyNotices(_ jurisdiction: String) async throws -> [Notice] {
        struct Row: Decodable { var title: String; var released_at: Date; var summary: String }
        guard let sql = db as? SQLDatabase else { return [] }
        return try await sql.raw("""
            SELECT i.title, r.released_at, r.summary FROM incidents i JOIN incident_releases r ON r.incident_id = i.id
            WHERE i.jurisdiction_id = \(bind: jurisdiction) AND i.state = 'open'
              AND r.released_at = (SELECT MAX(x.released_at) FROM incident_releases x WHERE x.incident_id = i.id)
            ORDER BY r.released_at DESC
            """).all(decoding: Row.self)
            .map { Notice(incidentTitle: $0.title, releasedAt: HourClock.wallTime($0.released_at), summary: $0.summary) }
    }

    struct ColumnLink: Encodable { var id: String; var name: String }

    /// A page of listing, with what the pager needs.
    struct Listing: Encodable {
        var jurisdiction: String
        var jurisdictionName: String
        var column: String
        var title: String
        var items: [Item]
        var page: Int
        var pages: Int
        var total: Int
        var prev: String
        var next: String
        var query: String
        var message: String
        var feed: String
        /// The jurisdictions a search may be narrowed to.
        var choices: [ColumnLink] = []
    }

    static let perPage = 20

    /// `page` of a column (政策解读, 专家解读, 发布实录) of a jurisdiction.
    func listing(_ j: JurisdictionModel, column: PortalColumn, page rawPage: String?) async throws -> Listing {
        let page = try Self.pageNumber(rawPage)
        let (rows, total) = try await PortalIndex.page(.init(jurisdiction: j.id!, column: column), page: page, per: Self.perPage, on: db)
        let base = "/j/\(j.id!)/\(column.rawValue)"
        return try Self.listing(jurisdiction: j, column: column.rawValue, title: column.label, rows: rows, total: total, page: page,
                                link: { "\(base)?page=\($0)" }, query: "", message: "", feed: base + "/feed.atom")
    }

    /// A search across the published releases, of one jurisdiction or all.
    func search(_ raw: String?, jurisdiction: JurisdictionModel?, page rawPage: String?) async throws -> Listing {
        let page = try Self.pageNumber(rawPage)
        let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        func link(_ p: Int) -> String {
            // Every character but letters and digits encoded: a `+` left as is would come back a space.
            func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
            return "/search?q=\(encoded(text))" + (jurisdiction.map { "&j=\(encoded($0.id!))" } ?? "") + "&page=\(p)"
        }
        let title = "搜索" + (jurisdiction.map { "：\($0.name)" } ?? "")
        let query: PortalQuery
        do {
            query = try PortalQuery(raw)
        } catch let e as DomainError where e.kind == .invalid {
            // An empty or too short query is a reader's slip, answered on the page.
            return try Self.listing(jurisdiction: jurisdiction, column: "search", title: title, rows: [], total: 0, page: 1, link: link,
                                    query: text, message: text.isEmpty ? "" : (e.fields["q"] ?? e.message), feed: "")
        }
        let (rows, total) = try await PortalIndex.page(.init(jurisdiction: jurisdiction?.id, query: query), page: page, per: Self.perPage, on: db)
        return try Self.listing(jurisdiction: jurisdiction, column: "search", title: title, rows: rows, total: total, page: page, link: link,
                                query: text, message: total == 0 ? "没有找到包含“\(text)”的发布信息。" : "", feed: "")
    }

    /// A page number from the query string: absent means 1; anything but a positive integer is refused.
    static func pageNumber(_ raw: String?) throws -> Int {
        guard let raw, !raw.isEmpty else { return 1 }
        guard let n = Int(raw), n >= 1, n <= 100_000 else { throw DomainError.field("page", label: "页码", "应为1到100000之间的整数") }
        return n
    }

    static func listing(jurisdiction j: JurisdictionModel?, column: String, title: String, rows: [PortalIndex.Row], total: Int, page: Int,
                        link: (Int) -> String, query: String, message: String, feed: String) throws -> Listing {
        let pages = max(1, (total + perPage - 1) / perPage)
        // Past the last page there is nothing to show: say so rather than an empty 200.
        if page > pages { throw DomainError.notFound("第\(page)页") }
        return Listing(jurisdiction: j?.id ?? "", jurisdictionName: j?.name ?? "", column: column, title: title, items: rows.map(item),
                       page: page, pages: pages, total: total, prev: page > 1 ? link(page - 1) : "", next: page < pages ? link(page + 1) : "",
                       query: query, message: message, feed: feed)
    }

    /// What the record page shows, built by `PortalIndex` at each workflow step and kept with
    /// the activity's index row, so the page is one read.
    struct Record: Codable {
        struct Speaker: Codable { var role: String; var name: String; var title: String }
        struct Line: Codable { var speaker: String; var text: String }
        struct File: Codable { var id: UUID; var name: String; var kind: String; var size: Int }
        var id: UUID
        var jurisdiction: String
        var jurisdictionName: String
        var title: String
        var form: String
        var category: String
        var agency: String
        var when: String
        var venue: String
        var preview: Bool
        var summary: String
        var liveUrl: String
        var videoUrl: String
        var speakers: [Speaker]
        var transcript: [Line]
        /// The policy document and its interpretation (相关政策与解读), then other public files.
        var policyFiles: [File]
        var files: [File]
    }

    /// A public activity, or "not found" — an unpublished one is indistinguishable from none.
    func activity(_ id: UUID?) async throws -> ReleaseActivityModel {
        guard let id, let a = try await ReleaseActivityModel.find(id, on: db),
              Publication.isPublic(stage: a.stageValue, previewPublishedAt: a.previewPublishedAt) else {
            throw DomainError.notFound("发布信息")
        }
        return a
    }

    /// The record page of a public activity, or "not found".
    func record(_ id: UUID?) async throws -> Record {
        guard let id, let record = try await PortalIndex.record(id, on: db) else { throw DomainError.notFound("发布信息") }
        return record
    }

    /// A document marked public, of a published record.
    func file(_ id: UUID?, document: UUID?) async throws -> ActivityDocumentModel {
        let a = try await activity(id)
        guard Publication.isRecord(stage: a.stageValue), let document, let doc = try await ActivityDocumentModel.find(document, on: db),
              doc.activityID == a.id, doc.isPublic else {
            throw DomainError.notFound("附件")
        }
        return doc
    }
}
